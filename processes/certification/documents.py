"""The certification process's documents (issue #9), registered with ``engine.documents.policy``:
the evidence attached to a dispute (R6) and the attachments of an authenticity report (R10).

A dispute's evidence is handed in by its parties — the volunteer who disputes and the recording
(or handling) organization that answers — and by the supervising department's staff; the
deciders (the handling organization's managers in the portal, the supervising department on its
task page) and both parties see it, nobody else (``Dispute.visible_to`` and the engine's
``case_access``). An authenticity report's attachments are the investigating department's.
An accident insurance policy's document (seed 二(三), PR2) is handed in with the policy by a
manager of the policyholder organization (``services.protection.insurance_record``); its members
and the supervising department's staff see it; it is not changed afterwards (a new policy is
recorded instead).

A back-filled service record's evidence (R12: the sign-in sheet's photo, other proof of service)
is handed in by the recording organization's managers while the record waits for review (entered
or pending); once approved or denied (or corrected, deleted) it is final. The record plays the
document's case (``ServiceRecord.reference`` ``BL-<id>``, found by ``case_by_reference``); who
sees it is decided here (``access``), not by the engine's ``case_access``: the organization's
members and the volunteer themself as parties, and as staff the supervising department's staff
when they approve it (``with_backfill_approver``) or reviewed it, and administrators; nobody else
(a 404, as for a missing document). A sign-in record carries no evidence (R12: system-made).
A step may require it before approval: ``DOCUMENT_REQUIRED_KINDS["certification.backfill_approve"]``.
"""
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from engine.cases.registry import PARTY, STAFF
from engine.directory import rights
from engine.documents.models import Document, DocumentVersion
from engine.documents.policy import DocumentPolicy, acting_organizations, register

from .models import AuthenticityReport, Dispute, InsurancePolicy, ServiceRecord
from .selectors import department_approves_backfill

EVIDENCE = "dispute_evidence"
ATTACHMENT = "report_attachment"
INSURANCE = "insurance_policy"
BACKFILL = "backfill_evidence"
BACKFILL_APPROVE = "certification.backfill_approve"  # the step DOCUMENT_REQUIRED_KINDS may name


def backfill_access(user, record):
    """Who sees a back-filled record's evidence (R12): ``STAFF`` for administrators and for the
    supervising department's staff when they approve the back-fill (or reviewed it); ``PARTY``
    for the recording organization's members and the volunteer themself; else None."""
    if user is None or not user.is_authenticated or record.source != ServiceRecord.Source.BACKFILL:
        return None
    if user.is_superuser:
        return STAFF
    if record.visible_to(user):
        return PARTY
    if record.reviewed_by_id is not None and record.reviewed_by_id == user.pk:
        return STAFF
    if record.department_id in rights.department_ids(user) and department_approves_backfill(record):
        return STAFF
    return None


class CertificationDocuments(DocumentPolicy):
    kinds = {EVIDENCE: _("Dispute evidence"), ATTACHMENT: _("Authenticity check attachment"),
             INSURANCE: _("Accident insurance policy document"), BACKFILL: _("Back-fill evidence")}
    party_kinds = (EVIDENCE, INSURANCE, BACKFILL)
    staff_kinds = (EVIDENCE, ATTACHMENT)
    # evidence may be attached to the disputed service record itself (a back-filled one's proof
    # of service, R6/R12), not only to the dispute
    subject_kinds = {EVIDENCE: ("certification.servicerecord",)}

    def case_by_reference(self, reference: str):
        """A back-filled service record by its ``BL-<id>`` (the other cases are engine cases)."""
        pk = ServiceRecord.pk_of_reference(reference)
        if pk is None:
            return None
        return (ServiceRecord.objects.filter(pk=pk, source=ServiceRecord.Source.BACKFILL)
                .select_related("volunteer", "activity__organization").first())

    def access(self, user, case):
        if isinstance(case, ServiceRecord):
            return backfill_access(user, case)
        return super().access(user, case)

    def case_subjects(self, user, case, model: str):
        if model == "certification.servicerecord" and isinstance(case, Dispute) and case.record_id:
            return ServiceRecord.objects.filter(pk=case.record_id).select_related("volunteer", "activity")
        return None

    def parties(self, user, case) -> set[int]:
        """The organizations a dispute is about (recording and handling) that ``user`` acts for."""
        if isinstance(case, InsurancePolicy):
            return {case.organization_id} & set(acting_organizations(user))
        if isinstance(case, ServiceRecord):  # its managers hand in a back-fill's evidence (R12)
            return {case.activity.organization_id} & rights.organization_ids(user, managers_only=True)
        if not isinstance(case, Dispute):
            return set()
        return ({case.organization_id, case.handling_organization_id} - {None}) & set(acting_organizations(user))

    def may_see(self, user, case, access) -> bool:
        return access is not None

    def may_see_kind(self, user, case, kind, access) -> bool:
        if isinstance(case, InsurancePolicy):
            return kind == INSURANCE
        if isinstance(case, ServiceRecord):
            return kind == BACKFILL
        return kind == (EVIDENCE if isinstance(case, Dispute) else ATTACHMENT)

    @staticmethod
    def _is_volunteer(user, case) -> bool:
        return isinstance(case, Dispute) and bool(case.volunteer.user_id) and case.volunteer.user_id == user.pk

    def upload_kinds(self, user, case, access) -> list[str]:
        if isinstance(case, InsurancePolicy):
            # only while the policy is being recorded, with it, by the service (PR2)
            return [INSURANCE] if access is not None and self.parties(user, case) and case._state.adding is False \
                and not case.documents_handed_in() else []
        if getattr(case, "is_final", False) or access is None:
            return []
        if isinstance(case, ServiceRecord):  # while it waits for review (R12)
            return [BACKFILL] if self.parties(user, case) else []
        if isinstance(case, Dispute):
            staff = access == STAFF and case.department_id in rights.department_ids(user)
            return [EVIDENCE] if staff or self._is_volunteer(user, case) or self.parties(user, case) else []
        if isinstance(case, AuthenticityReport) and access == STAFF and case.department_id in rights.department_ids(user):
            return [ATTACHMENT]
        return []

    def may_change(self, user, document, case, access) -> bool:
        """The volunteer's own evidence (handed in by no organization) is theirs to replace or
        withdraw while the dispute is open; the rest as the engine's default."""
        if isinstance(case, InsurancePolicy):
            return False
        if document.organization_id is None and document.created_by_id == user.pk and not document.is_withdrawn \
                and not getattr(case, "is_final", False) and self._is_volunteer(user, case):
            return True
        return super().may_change(user, document, case, access)


def attach_backfill_evidence(records) -> None:
    """Set ``record.evidence`` on each back-fill of ``records``: the current version of each of
    its current evidence documents (oldest first), in one query however many records; for
    the pages where the reviewer decides (the portal's records to review, the workbench's
    back-fills), whose rows are records the reader may see the evidence of (``backfill_access``:
    the organization's members; the approving department's staff)."""
    ids = [r.pk for r in records if r.source == ServiceRecord.Source.BACKFILL]
    by_record: dict[int, list] = {}
    if ids:
        versions = (DocumentVersion.objects.filter(
            document__case_type=ContentType.objects.get_for_model(ServiceRecord), document__case_id__in=ids,
            document__kind=BACKFILL, document__status=Document.Status.CURRENT,
            number=F("document__latest_number")).select_related("document").order_by("document__created_at", "document__pk"))
        for version in versions:
            by_record.setdefault(version.document.case_id, []).append(version)
    for record in records:
        record.evidence = by_record.get(record.pk, [])


register("certification", CertificationDocuments())
