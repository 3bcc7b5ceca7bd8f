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
"""
from django.utils.translation import gettext_lazy as _

from engine.cases.registry import STAFF
from engine.directory import rights
from engine.documents.policy import DocumentPolicy, acting_organizations, register

from .models import AuthenticityReport, Dispute, InsurancePolicy, ServiceRecord

EVIDENCE = "dispute_evidence"
ATTACHMENT = "report_attachment"
INSURANCE = "insurance_policy"


class CertificationDocuments(DocumentPolicy):
    kinds = {EVIDENCE: _("Dispute evidence"), ATTACHMENT: _("Authenticity check attachment"),
             INSURANCE: _("Accident insurance policy document")}
    party_kinds = (EVIDENCE, INSURANCE)
    staff_kinds = (EVIDENCE, ATTACHMENT)
    # evidence may be attached to the disputed service record itself (a back-filled one's proof
    # of service, R6/R12), not only to the dispute
    subject_kinds = {EVIDENCE: ("certification.servicerecord",)}

    def case_subjects(self, user, case, model: str):
        if model == "certification.servicerecord" and isinstance(case, Dispute) and case.record_id:
            return ServiceRecord.objects.filter(pk=case.record_id).select_related("volunteer", "activity")
        return None

    def parties(self, user, case) -> set[int]:
        """The organizations a dispute is about (recording and handling) that ``user`` acts for."""
        if isinstance(case, InsurancePolicy):
            return {case.organization_id} & set(acting_organizations(user))
        if not isinstance(case, Dispute):
            return set()
        return ({case.organization_id, case.handling_organization_id} - {None}) & set(acting_organizations(user))

    def may_see(self, user, case, access) -> bool:
        return access is not None

    def may_see_kind(self, user, case, kind, access) -> bool:
        if isinstance(case, InsurancePolicy):
            return kind == INSURANCE
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


register("certification", CertificationDocuments())
