"""Volunteers (R2a basic information, entered only with consent, R4) and the claim codes that
let a person entered by an organization link that record to their account."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from engine.directory.models import District, Organization
from engine.directory.validators import mask_id_number, mask_phone, validate_id_number


def mask_name(name: str) -> str:
    """D6/R10: 李小萌 → 李*萌, 王力 → 王*."""
    if not name:
        return ""
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


class Volunteer(models.Model):
    """A real-name volunteer (R2a basic information); entered by an organization only with
    the volunteer's recorded consent (R4)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("Account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="volunteer",
    )
    volunteer_number = models.CharField(_("Volunteer number"), max_length=32, unique=True, editable=False)
    real_name = models.CharField(pgettext_lazy("certification", "Name"), max_length=64)
    # Not unique on its own: a person registering themself gets their own record even when an
    # organization entered the same number (no link without their confirmation, no hint that
    # the number is known); one unclaimed record per number and entering organization, so no
    # organization learns that another one entered the person.
    id_number = models.CharField(_("ID number"), max_length=18, db_index=True, validators=[validate_id_number])
    phone = models.CharField(_("Mobile number"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("Consent given at"))
    consent_note = models.CharField(_("How consent was given"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        Organization, verbose_name=_("Entering organization"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    district = models.ForeignKey(
        District, verbose_name=_("District of residence"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The county (city, district) where the volunteer lives, for the share of registered volunteers in the resident population."),
    )
    created_at = models.DateTimeField(_("Created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("Volunteer")
        verbose_name_plural = _("Volunteer")
        ordering = ["volunteer_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number", "registered_by"], condition=models.Q(user__isnull=True),
                name="volunteer_entered_id_number_unique", violation_error_message=_("Your organization has already entered this volunteer."),
            )
        ]

    def __str__(self):
        return gettext("%(name)s (%(number)s)") % {"name": self.real_name, "number": self.volunteer_number}

    @property
    def masked_id(self):
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @property
    def masked_name(self):
        return mask_name(self.real_name)


class ClaimCode(models.Model):
    """A one-time code an organization hands the person it entered, so that person — and no
    one else who merely knows their name and ID number — links the record to their account.
    Only a keyed hash is stored; it expires and allows a few attempts (settings)."""

    volunteer = models.ForeignKey(Volunteer, verbose_name=_("Volunteer"), on_delete=models.CASCADE,
                                  related_name="claim_codes")
    code_hash = models.CharField(_("Claim code digest"), max_length=64, editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Handed out by"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("Handed out at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("Expires at"))
    attempts = models.PositiveSmallIntegerField(_("Failed attempts"), default=0)
    used_at = models.DateTimeField(_("Used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Claim code")
        verbose_name_plural = _("Claim code")
        ordering = ["-issued_at"]

    def __str__(self):
        return f"{self.volunteer.volunteer_number} {self.issued_at:%Y-%m-%d}"


class VolunteerPartyMixin:
    """D3: the volunteer a request or dispute is about is its party and works none of its tasks
    — a manager of the organization may not issue their own certificate nor decide their own
    dispute; another manager or the supervising department does."""

    @classmethod
    def conflicting_cases(cls, user):
        return cls.objects.filter(volunteer__user_id=user.pk).values("pk")

    def conflicts_with(self, user) -> bool:
        return user.pk is not None and Volunteer.objects.filter(pk=self.volunteer_id, user_id=user.pk).exists()

    def parties_among(self, user_ids) -> set[int]:
        return set(Volunteer.objects.filter(pk=self.volunteer_id, user_id__in=user_ids).values_list("user_id", flat=True))
