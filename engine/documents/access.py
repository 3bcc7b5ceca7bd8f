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
from engine.cases.registry import case_by_reference

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


def case_for_reference(reference):
    """The case of ``reference`` for the documents' pages and API: an engine case, else an
    object a process's policy lets play one (``DocumentPolicy.case_by_reference``), else None."""
    case = case_by_reference(reference)
    if case is not None:
        return case
    for policy in policies().values():
        case = policy.case_by_reference(reference)
        if case is not None:
            return case
    return None


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


def subject_label(obj_or_model) -> str:
    """``"app_label.model"`` of a subject or its model: how the API and the forms name its type."""
    return obj_or_model._meta.label_lower


def check_subject(user, case, kind, subject) -> None:
    """A document of ``kind`` may be about ``subject`` only when the process's policy allows that
    type of object for that kind and ``subject`` belongs to ``case`` (and is one ``user`` may
    attach to); else a RuleViolation (400), nothing stored."""
    policy = policy_for(case.PROCESS_NAME)
    label = subject_label(subject)
    if label not in policy.subject_types(kind):
        message = _("A document of the kind “%(kind)s” cannot be about that.") % {"kind": policy.label(kind)}
        raise RuleViolation(message, code="subject_invalid", fields={"subject": [message]})
    candidates = policy.case_subjects(user, case, label)
    if candidates is None or not candidates.filter(pk=subject.pk).exists():
        message = _("That is not part of %(reference)s.") % {"reference": case.reference}
        raise RuleViolation(message, code="subject_invalid", fields={"subject": [message]})


def resolve_subject(user, case, kind, subject_type, subject_id):
    """The subject named by ``subject_type`` (``"app_label.model"``) and ``subject_id`` for an
    upload of ``kind`` to ``case``: None when neither is given, else the object, checked by
    ``check_subject``; a type the policy does not know for the kind, an id of no object of the
    case, or only one of the two given is a RuleViolation (400)."""
    subject_type, subject_id = str(subject_type or "").strip(), str(subject_id or "").strip()
    if not subject_type and not subject_id:
        return None
    policy = policy_for(case.PROCESS_NAME)
    if not subject_type or not subject_id.isdigit():
        message = _("Name both the type and the number of what the document is about, or neither.")
        raise RuleViolation(message, code="subject_invalid", fields={"subject": [message]})
    if kind not in policy.kinds:
        raise RuleViolation(_("Choose the kind of document."), fields={"kind": [_("Not a kind of document of this case.")]})
    if subject_type not in policy.subject_types(kind):
        message = _("A document of the kind “%(kind)s” cannot be about that.") % {"kind": policy.label(kind)}
        raise RuleViolation(message, code="subject_invalid", fields={"subject": [message]})
    candidates = policy.case_subjects(user, case, subject_type)
    subject = candidates.filter(pk=int(subject_id)).first() if candidates is not None else None
    if subject is None:
        message = _("That is not part of %(reference)s.") % {"reference": case.reference}
        raise RuleViolation(message, code="subject_invalid", fields={"subject": [message]})
    return subject


def subject_choices(user, case, kinds) -> list[tuple[str, str, list[str]]]:
    """What the upload form offers as a document's subject: ``(value, label, kinds)`` with value
    ``"app_label.model:id"``, for the objects of ``case`` the user may attach documents of
    ``kinds`` to; one query per type of object."""
    policy = policy_for(case.PROCESS_NAME)
    by_type: dict[str, list[str]] = {}
    for kind in kinds:
        for label in policy.subject_types(kind):
            by_type.setdefault(label, []).append(kind)
    choices = []
    for label, for_kinds in by_type.items():
        candidates = policy.case_subjects(user, case, label)
        if candidates is None:
            continue
        for obj in candidates:
            choices.append((f"{label}:{obj.pk}", policy.subject_text(obj), for_kinds))
    return choices
