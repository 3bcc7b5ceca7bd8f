"""The incubation process's documents (issue #9): the kinds an application and its incubation
carry, who hands in which, and who reads them. Registered with ``engine.documents.policy``.

The base's intake check needs the articles of association and the list of board members before
it accepts an application (I1; ``DOCUMENT_REQUIRED_KINDS["incubation.intake"]``, checked by
``services.review.intake_accept``).
"""
from django.utils.translation import gettext_lazy as _

from engine.documents.policy import DocumentPolicy, register

from .models import Milestone

# Uploaded with the application in the portal's form (I1)
APPLY_KINDS = ("charter", "board_members", "application")


class IncubationDocuments(DocumentPolicy):
    kinds = {
        "charter": _("Articles of association"),
        "board_members": _("List of board members"),
        "application": _("Application materials"),
        "supplement": _("Supplementary materials"),
        "agreement": _("Signed incubation agreement"),
        "milestone_evidence": _("Milestone evidence"),
        "self_evaluation": _("Graduation self-evaluation materials"),
    }
    # the organization hands in its application, supplements, the signed agreement and its evidence
    party_kinds = tuple(kinds)
    # the base's staff add the agreement and evidence they hold (training records, site visits)
    staff_kinds = ("agreement", "milestone_evidence", "supplement")

    # a milestone's evidence may name the recorded milestone it proves (I4)
    subject_kinds = {"milestone_evidence": ("incubation.milestone",)}

    def case_subjects(self, user, case, model: str):
        if model == "incubation.milestone":
            return Milestone.objects.filter(application_id=case.pk).order_by("happened_on", "pk")
        return None

    def may_see(self, user, case, access) -> bool:
        """The base and the departments working the application, the applicant, and the experts
        assigned to score it (I2: they judge the materials)."""
        return access is not None


register("incubation", IncubationDocuments())
