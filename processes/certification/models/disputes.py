"""Disputes about a record or certificate (R6, the dispute lifecycle) and reports of certificates
that fail verification (R10)."""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from engine.cases.models import Case
from engine.directory import rights
from engine.directory.models import Organization

from .certificates import Certificate
from .records import ServiceRecord
from .volunteers import Volunteer, VolunteerPartyMixin


class Dispute(VolunteerPartyMixin, Case):
    """异议: a volunteer contests a record or a certificate (R6). The organizer reviews; a
    refusal may be appealed to the supervising department; an overdue organizer review
    escalates there (D2); a dissolved organizer's dispute follows R9."""

    REFERENCE_PREFIX = "YY"
    PROCESS_NAME = "certification"
    TITLE_FORMAT = _("%(reference)s dispute by %(name)s")
    TITLE_FIELDS = {"name": "volunteer__real_name"}

    class Status(models.TextChoices):
        ORGANIZER_REVIEW = "organizer_review", _("Organizer review")
        REFUSED = "refused", _("Organizer refused to correct")
        SUPERVISOR_REVIEW = "supervisor_review", _("Supervisor review")
        UPHELD = "upheld", _("Corrected")
        REFUSED_FINAL = "refused_final", _("Upheld on review")
        CLOSED = "closed", _("Closed")

    FINAL_STATES = (Status.UPHELD, Status.REFUSED_FINAL, Status.CLOSED)

    status = FSMField(_("Status"), default=Status.ORGANIZER_REVIEW, choices=Status.choices, protected=True)
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("Volunteer"), on_delete=models.PROTECT, related_name="disputes")
    record = models.ForeignKey(
        ServiceRecord, verbose_name=_("Disputed record"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    certificate = models.ForeignKey(
        Certificate, verbose_name=_("Disputed certificate"), null=True, blank=True, on_delete=models.PROTECT, related_name="disputes"
    )
    organization = models.ForeignKey(Organization, verbose_name=_("Recording organization"), on_delete=models.PROTECT, related_name="+")
    handling_organization = models.ForeignKey(
        Organization, verbose_name=_("Handling organization"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supervisor = models.ForeignKey(
        "directory.Department", verbose_name=_("Reviewing department"), on_delete=models.PROTECT, related_name="+"
    )
    claim = models.TextField(pgettext_lazy("certification", "Claim"))
    claimed_hours = models.DecimalField(_("Hours claimed"), max_digits=7, decimal_places=2, null=True, blank=True)
    decision_reason = models.TextField(pgettext_lazy("certification", "Decision"), blank=True)
    appeal_until = models.DateTimeField(_("Appeal deadline"), null=True, blank=True)
    appeal_reason = models.TextField(_("Grounds for appeal"), blank=True)
    escalated = models.BooleanField(_("Escalated as overdue"), default=False)

    class Meta:
        verbose_name = _("Dispute")
        verbose_name_plural = _("Dispute")
        ordering = ["-created_at"]

    def search_words(self):
        """Found in the queues by the recording and the handling organization's names too."""
        return [o.name for o in (self.organization, self.handling_organization) if o is not None]

    def visible_to(self, user) -> bool:
        return bool(
            (self.volunteer.user_id and self.volunteer.user_id == user.pk)
            or {self.organization_id, self.handling_organization_id} & rights.organization_ids(user)
        )

    @transition(field=status, source=[Status.ORGANIZER_REVIEW, Status.SUPERVISOR_REVIEW], target=Status.UPHELD)
    def uphold(self, reason):
        self.decision_reason = reason

    @transition(field=status, source=Status.ORGANIZER_REVIEW, target=Status.REFUSED)
    def refuse(self, reason, appeal_until):
        self.decision_reason, self.appeal_until = reason, appeal_until

    @transition(field=status, source=Status.SUPERVISOR_REVIEW, target=Status.REFUSED_FINAL)
    def refuse_final(self, reason):
        self.decision_reason = reason

    @transition(field=status, source=Status.REFUSED, target=Status.SUPERVISOR_REVIEW,
                conditions=[lambda d: d.appeal_until is None or timezone.now() <= d.appeal_until])
    def appeal(self, reason):
        self.appeal_reason = reason

    @transition(field=status, source=Status.ORGANIZER_REVIEW, target=Status.SUPERVISOR_REVIEW)
    def escalate(self):
        self.escalated = True

    @transition(field=status, source=Status.REFUSED, target=Status.CLOSED)
    def close(self):
        pass


class AuthenticityReport(Case):
    """A third party reports a certificate that failed verification; 民政局 investigates (R10)."""

    REFERENCE_PREFIX = "ZJ"
    PROCESS_NAME = "certification"
    TITLE_FORMAT = _("%(reference)s authenticity check of certificate %(number)s")
    TITLE_FIELDS = {"number": "number"}

    class Status(models.TextChoices):
        INVESTIGATING = "investigating", _("Investigating")
        CONFIRMED = "confirmed", _("Confirmed false")
        DISMISSED = "dismissed", _("Certificate genuine")

    FINAL_STATES = (Status.CONFIRMED, Status.DISMISSED)

    status = FSMField(_("Status"), default=Status.INVESTIGATING, choices=Status.choices, protected=True)
    number = models.CharField(_("Certificate number"), max_length=32)
    code = models.CharField(_("Verification code"), max_length=16, blank=True)
    certificate = models.ForeignKey(
        Certificate, verbose_name=_("Certificate"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verification_result = models.CharField(_("Verification result"), max_length=32)
    reporter_name = models.CharField(_("Reporter"), max_length=64)
    reporter_contact = models.CharField(_("Contact"), max_length=64)
    description = models.TextField(_("Description"))
    finding = models.TextField(_("Finding"), blank=True)

    class Meta:
        verbose_name = _("Certificate authenticity check")
        verbose_name_plural = _("Certificate authenticity check")
        ordering = ["-created_at"]

    RESULT_LABELS = {"valid": _("Valid"), "revoked": _("Revoked"), "superseded": _("Superseded"),
                     "invalid": _("Signature mismatch"), "not_found": _("Not found")}

    def verification_result_label(self):
        """The public check's answer when the report was filed, in words (R10)."""
        return self.RESULT_LABELS.get(self.verification_result, self.verification_result)

    verification_result_label.short_description = _("Verification result")

    @transition(field=status, source=Status.INVESTIGATING, target=Status.CONFIRMED)
    def confirm(self, finding):
        self.finding = finding

    @transition(field=status, source=Status.INVESTIGATING, target=Status.DISMISSED)
    def dismiss(self, finding):
        self.finding = finding
