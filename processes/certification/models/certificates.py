"""Certificate requests (the case, R7, R9, R15) and the certificates issued (R8, R10): a signed,
numbered, registered snapshot of approved records."""
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from engine.cases.models import Case
from engine.directory import rights
from engine.directory.models import Organization

from .records import ServiceRecord
from .volunteers import Volunteer, VolunteerPartyMixin


class CertificateRequest(VolunteerPartyMixin, Case):
    """A volunteer's request for a certificate (证明), or the organization's on behalf of a
    volunteer without an account (R7). Verified and issued by the organization that answers
    for the recording unit now (R1, R9)."""

    REFERENCE_PREFIX = "ZM"
    PROCESS_NAME = "certification"
    TITLE_FORMAT = _("%(reference)s %(name)s volunteer service certificate")
    TITLE_FIELDS = {"name": "volunteer__real_name"}

    class Status(models.TextChoices):
        VERIFYING = "verifying", _("Verifying")
        SEALING = "sealing", _("Awaiting seal")
        NOTICE = "notice", _("On public notice")
        ISSUED = "issued", _("Issued")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    FINAL_STATES = (Status.ISSUED, Status.REFUSED, Status.WITHDRAWN)
    OPEN_STATES = (Status.VERIFYING, Status.SEALING, Status.NOTICE)

    status = FSMField(_("Status"), default=Status.VERIFYING, choices=Status.choices, protected=True)
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("Volunteer"), on_delete=models.PROTECT, related_name="requests")
    organization = models.ForeignKey(
        Organization, verbose_name=_("Recording organization"), on_delete=models.PROTECT, related_name="+"
    )
    handling_organization = models.ForeignKey(
        Organization, verbose_name=_("Handling organization"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("The organization that took over the recording organization's work after a merger or dissolution; when empty, the supervising department handles it."),
    )
    on_behalf = models.BooleanField(_("Requested by the organization on the volunteer's behalf"), default=False)
    purpose = models.CharField(_("Purpose"), max_length=200, blank=True)
    seal_requested = models.BooleanField(_("Seal requested"), default=False)
    include_training = models.BooleanField(_("Include training and commendations"), default=False)
    include_evaluation = models.BooleanField(_("Include evaluation"), default=False,
                                             help_text=_("The volunteer asked for the organization's evaluation to be listed."))
    include_honours = models.BooleanField(_("Include departments' commendations and star rating"), default=False)
    records = models.ManyToManyField(ServiceRecord, verbose_name=_("Service record"), related_name="+")
    refusal_reason = models.CharField(_("Reason for refusal"), max_length=500, blank=True)
    notice_until = models.DateTimeField(_("Notice ends"), null=True, blank=True)

    class Meta:
        verbose_name = _("Certificate request")
        verbose_name_plural = _("Certificate request")
        ordering = ["-created_at"]

    def search_words(self):
        """Found in the queues by the recording and the handling organization's names too."""
        return [o.name for o in (self.organization, self.handling_organization) if o is not None]

    def visible_to(self, user) -> bool:
        org_ids = rights.organization_ids(user)
        return bool(
            (self.volunteer.user_id and self.volunteer.user_id == user.pk)
            or {self.organization_id, self.handling_organization_id} & org_ids
        )

    @transition(field=status, source=Status.VERIFYING,
                target=RETURN_VALUE(Status.SEALING, Status.NOTICE, Status.ISSUED))
    def verify(self, *, notice: bool):
        if self.seal_requested:
            return self.Status.SEALING
        return self.Status.NOTICE if notice else self.Status.ISSUED

    @transition(field=status, source=Status.SEALING, target=RETURN_VALUE(Status.NOTICE, Status.ISSUED))
    def seal(self, *, notice: bool):
        return self.Status.NOTICE if notice else self.Status.ISSUED

    @transition(field=status, source=Status.NOTICE, target=Status.ISSUED)
    def end_notice(self):
        pass

    @transition(field=status, source=Status.VERIFYING, target=Status.REFUSED)
    def refuse(self, reason):
        self.refusal_reason = reason

    @transition(field=status, source=[Status.VERIFYING, Status.SEALING, Status.NOTICE], target=Status.WITHDRAWN)
    def withdraw(self):
        pass


class Certificate(FSMModelMixin, models.Model):
    """An issued certificate (R8): gap-free number per year, a random verification code, a
    frozen snapshot of the records it covers, an Ed25519 signature over its content (R10)."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Superseded")

    number = models.CharField(_("Certificate number"), max_length=32, unique=True, editable=False)
    verification_code = models.CharField(_("Verification code"), max_length=16, editable=False)
    request = models.ForeignKey(
        CertificateRequest, verbose_name=_("Certificate request"), on_delete=models.PROTECT, related_name="certificates"
    )
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("Volunteer"), on_delete=models.PROTECT, related_name="certificates")
    issuer = models.ForeignKey(Organization, verbose_name=_("Issuer"), null=True, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("Issued at"))
    volunteer_name = models.CharField(_("Volunteer name"), max_length=64)
    volunteer_id_masked = models.CharField(_("ID number (masked)"), max_length=18)
    issuer_name = models.CharField(_("Issuer name"), max_length=128)
    issuer_contact = models.CharField(_("Issuer contact"), max_length=128, blank=True)
    recording_organization = models.CharField(_("Recording organization"), max_length=128)
    total_hours = models.DecimalField(_("Total service hours"), max_digits=9, decimal_places=2)
    snapshot = models.JSONField(_("Record snapshot"), default=list)
    sealed = models.BooleanField(_("Sealed"), default=False)
    # departments' commendations and the star rating, when the volunteer asked (seed 二(四)); signed
    honours = models.JSONField(_("Commendations and star rating"), default=dict, blank=True)
    signature = models.TextField(_("Signature"), editable=False)
    key_id = models.CharField(_("Signing key ID"), max_length=32, editable=False)
    status = FSMField(_("Status"), default=Status.VALID, choices=Status.choices, protected=True)
    superseded_by = models.OneToOneField(
        "self", verbose_name=_("Replacing certificate"), null=True, blank=True, on_delete=models.PROTECT, related_name="replaces"
    )
    revoked_at = models.DateTimeField(_("Revoked at"), null=True, blank=True)
    revoke_reason = models.CharField(_("Reason for revocation"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("Volunteer service certificate")
        verbose_name_plural = _("Volunteer service certificate")
        ordering = ["-issued_at", "-pk"]

    def __str__(self):
        return self.number

    def record_ids(self) -> set[int]:
        return {item["id"] for item in self.snapshot}

    def get_absolute_url(self):
        return reverse("certification:certificate-pdf", args=[self.number])

    @property
    def badge(self) -> str:
        """The badge style pages show its status in: a valid certificate is good news."""
        return "ok" if self.status == self.Status.VALID else "warn"

    @transition(field=status, source=Status.VALID, target=Status.SUPERSEDED)
    def supersede(self, replacement):
        self.superseded_by = replacement

    @transition(field=status, source=Status.VALID, target=Status.REVOKED)
    def revoke(self, reason):
        self.revoked_at, self.revoke_reason = timezone.now(), reason
