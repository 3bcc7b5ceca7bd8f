"""Who may list, see, download, upload, replace and withdraw documents: the one place that
decides, for the API, the pages, the partial and the admin alike (issue #9).

Lists are querysets (``visible_documents``) with every rule applied in the query: the case's
visibility (the policy's ``access``, by default ``engine.cases.registry.case_access``), the
process's policy (which kinds the user may see, ``document_filter``) and sealing (``DocumentPolicy.sealed``: sealed documents exist only for the
organization that handed them in). A document the user may not see is "not found" (404),
exactly like one that does not exist.
"""
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from engine.cases.errors import NotAllowed, NotFound, RuleViolation

from .models import Document, DocumentVersion
from .policy import acting_organizations, policies, policy_for


def sealed_for(user, now=None) -> Q | None:
    """The documents sealed at ``now`` for ``user``: sealed by their process's policy and not
    handed in by an organization ``user`` acts for. None when nothing is sealed anywhere."""
    now = now or timezone.now()
    sealed = None
    for process_name, policy in policies().items():
        q = policy.sealed(now)
        if q is not None:
            q = Q(process_name=process_name) & q
            sealed = q if sealed is None else sealed | q
    if sealed is None:
        return None
    own = acting_organizations(user) if user is not None else set()
    return sealed & ~Q(organization_id__in=own) if own else sealed


def unsealed(queryset, user=None):
    """``queryset`` of documents without those sealed for ``user`` (for everyone when None)."""
    sealed = sealed_for(user)
    return queryset.exclude(sealed) if sealed is not None else queryset


def case_access_for(user, case):
    """How ``user`` may see the documents of ``case`` (the process's ``DocumentPolicy.access``)."""
    if user is None or not user.is_authenticated:
        return None
    return policy_for(case.PROCESS_NAME).access(user, case)


def case_documents(case):
    """Every document of ``case``, with no rule applied: for services only."""
    return Document.objects.filter(case_type=ContentType.objects.get_for_model(case), case_id=case.pk)


def visible_documents(user, case, *, access=...):
    """The documents of ``case`` that ``user`` may list, each with its versions (newest first),
    uploaders and organization, in a fixed number of queries."""
    if access is ...:
        access = case_access_for(user, case)
    policy = policy_for(case.PROCESS_NAME)
    if access is None or not policy.may_see(user, case, access):
        return Document.objects.none()
    kinds = [k for k in policy.kinds if policy.may_see_kind(user, case, k, access)]
    versions = DocumentVersion.objects.select_related("uploaded_by").order_by("-number")
    queryset = case_documents(case).filter(kind__in=kinds)
    extra = policy.document_filter(user, case, access)
    if extra is not None:
        queryset = queryset.filter(extra)
    queryset = queryset.select_related(
        "organization", "created_by", "withdrawn_by").prefetch_related(Prefetch("versions", queryset=versions))
    return unsealed(queryset, user).order_by("created_at", "pk")


def case_of(document):
    return document.case_type.get_object_for_this_type(pk=document.case_id)


def visible_document(user, pk):
    """``(document, case, access)`` for a document ``user`` may see, else NotFound."""
    document = Document.objects.select_related("case_type").filter(pk=pk).first() if str(pk).isdigit() else None
    if document is None:
        raise NotFound(_("No such document."))
    case = case_of(document)
    access = case_access_for(user, case)
    found = visible_documents(user, case, access=access).filter(pk=document.pk).first()
    if found is None:
        raise NotFound(_("No such document."))
    return found, case, access


def upload_organization(user, case, kind, access):
    """The organization the upload is made for (None for staff), or the refusal."""
    policy = policy_for(case.PROCESS_NAME)
    if kind not in policy.kinds:
        raise RuleViolation(_("Choose the kind of document."), fields={"kind": [_("Not a kind of document of this case.")]})
    if access is None:
        raise NotFound(_("No such case."))
    if kind not in policy.upload_kinds(user, case, access):
        raise NotAllowed(_("You may not upload “%(kind)s” to this case now.") % {"kind": policy.label(kind)})
    parties = sorted(policy.parties(user, case))
    return parties[0] if parties and kind in policy.party_kinds else None


def check_change(user, document, case, access):
    if not policy_for(case.PROCESS_NAME).may_change(user, document, case, access):
        raise NotAllowed(_("You may not change this document now."))


def may_change(user, document, case, access) -> bool:
    return policy_for(case.PROCESS_NAME).may_change(user, document, case, access)
