"""Each process's rules for its documents, registered once: the extension point of this app.

A process writes ``processes/<p>/documents.py`` (imported at start-up by ``apps.py``) with

    class TenderDocuments(DocumentPolicy):
        kinds = {"tender": _("Tender documents"), "bid_technical": _("Bid technical file"), …}
        party_kinds = ("bid_technical", "bid_price")     # what the applicant/bidder may upload
        staff_kinds = ("tender", "contract")             # what the case's staff may upload

        def parties(self, user, case): ...               # organizations the user acts for here
        def may_see_kind(self, user, case, kind, access): ...
        def sealed(self, now): ...                       # Q over Document: sealed at ``now``
        def sealed_until(self, document): ...            # when one document opens

    register("procurement", TenderDocuments())

``engine.documents.access`` asks only these methods; the defaults below are the rule of issue #9:
the case's parties (members of the applicant organization, ``case.organization``), the staff of
the departments working the case, and administrators. The kinds a step requires are settings
(``DOCUMENT_REQUIRED_KINDS``), not policy, so a deployment changes them without code.
"""
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from engine.cases.registry import STAFF, case_access
from engine.directory import rights

from . import conf

_policies: dict = {}


def acting_organizations(user) -> frozenset:
    """The organizations ``user`` acts for, read once per user object (a request's user lives
    one request), so a list or a panel asks once however many documents it shows."""
    cached = getattr(user, "_document_organization_ids", None)
    if cached is None:
        cached = frozenset(rights.organization_ids(user))
        if user is not None and user.is_authenticated:
            user._document_organization_ids = cached
    return cached


class DocumentPolicy:
    kinds: dict = {"attachment": _("Attachment")}
    party_kinds: tuple = ("attachment",)
    staff_kinds: tuple = ("attachment",)
    # kind -> the models ("app_label.model") a document of that kind may be about (its subject)
    subject_kinds: dict = {}

    def label(self, kind: str) -> str:
        return str(self.kinds.get(kind, kind))

    def access(self, user, case):
        """How ``user`` may see the documents of ``case``: ``STAFF``, ``PARTY`` or None. The
        engine's ``case_access`` by default; a process whose parties do not see the case page
        (procurement's bidders) answers here for its documents."""
        return case_access(user, case)

    def case_by_reference(self, reference: str):
        """The object of this process with ``reference`` that plays a case for its documents
        without being an engine case (``engine.cases.models.Case``: those are found by
        ``engine.cases.registry.case_by_reference`` first), or None. Such an object has
        ``reference``, ``department_id``, ``PROCESS_NAME``, ``visible_to(user)`` and
        ``is_final``, and the policy answers ``access`` for it (certification's back-filled
        service record, ``BL-<id>``)."""
        return None

    def document_filter(self, user, case, access) -> Q | None:
        """A further condition over ``Document`` for what ``user`` lists of ``case`` (e.g. a
        party sees only its own documents of some kinds), or None for no further condition."""
        return None

    def audit_target(self, document, case) -> dict:
        """Where an upload, replacement or withdrawal is recorded (``audit_record`` keywords):
        under the case by default. A sealed document may be kept off the case's history."""
        return {"obj": case}

    def parties(self, user, case) -> set[int]:
        """The organizations ``user`` acts for in ``case`` (uploads are made on behalf of one):
        the applicant organization by default."""
        organization_id = getattr(case, "organization_id", None)
        if organization_id is None:
            return set()
        return {organization_id} & acting_organizations(user)

    def may_see(self, user, case, access) -> bool:
        """``access`` is ``self.access`` (staff, party or None): staff
        and superusers, and the case's parties."""
        return access == STAFF or bool(self.parties(user, case))

    def may_see_kind(self, user, case, kind: str, access) -> bool:
        """Who may see documents of ``kind`` among those who may see the case's documents."""
        return True

    def upload_kinds(self, user, case, access) -> list[str]:
        """The kinds ``user`` may upload to ``case`` now (in the order of ``kinds``)."""
        if getattr(case, "is_final", False):
            return []
        allowed = set()
        if self.parties(user, case):
            allowed.update(self.party_kinds)
        if access == STAFF and not user.is_superuser and case.department_id in rights.department_ids(user):
            allowed.update(self.staff_kinds)
        return [k for k in self.kinds if k in allowed]

    def may_change(self, user, document, case, access) -> bool:
        """Replace (a new version) or withdraw: while the case is open, the organization that
        handed the document in, or for staff uploads its uploader's department colleagues."""
        if document.is_withdrawn or getattr(case, "is_final", False):
            return False
        if document.organization_id is not None:
            return document.organization_id in self.parties(user, case)
        return access == STAFF and case.department_id in rights.department_ids(user)

    def subject_types(self, kind: str) -> tuple[str, ...]:
        """The models (``"app_label.model"``) a document of ``kind`` may be about; () for none."""
        return tuple(self.subject_kinds.get(kind, ()))

    def case_subjects(self, user, case, model: str):
        """The objects of ``model`` that belong to ``case`` and that ``user`` may attach documents
        to (a queryset), or None when the process knows no such objects: what the upload forms
        offer and the only subjects an upload accepts."""
        return None

    def subject_text(self, subject) -> str:
        """How a subject reads in the forms and lists (its verbose name and ``str``)."""
        return str(pgettext("document subject", "%(kind)s: %(subject)s")
                   % {"kind": subject._meta.verbose_name, "subject": subject})

    def required_kinds(self, step: str) -> list[str]:
        """The kinds ``step`` (``"<process>.<step>"``) needs before it proceeds: the setting
        ``DOCUMENT_REQUIRED_KINDS`` by default; a process may narrow it by case (override)."""
        return conf.required_kinds(step)

    def sealed(self, now) -> Q | None:
        """The documents of this process that are sealed at ``now`` (a ``Q`` over ``Document``),
        or None when the process seals nothing. A sealed document is listed, counted and served
        to nobody but the organization that handed it in (``Document.organization``)."""
        return None

    def sealed_until(self, document):
        """When ``document`` opens (a datetime), or None when it is not sealed."""
        return None


DEFAULT = DocumentPolicy()


def register(process_name: str, policy: DocumentPolicy) -> None:
    _policies[process_name] = policy


def policy_for(process_name: str) -> DocumentPolicy:
    return _policies.get(process_name, DEFAULT)


def policies() -> dict:
    return dict(_policies)
