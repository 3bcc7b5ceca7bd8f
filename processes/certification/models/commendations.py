"""Commendations (通报表扬, seed 二(四)) of volunteers and organizations by a department.

Staff and heads of a department commend (rule CM1, ``services/commendations.py``); the commended
volunteer or organization is told; a commendation is shown in the portal and, when the
volunteer asks, listed on the certificate (the signed content carries it, R10)."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine.directory.models import Department, Organization

from .volunteers import Volunteer


class CommendationQuerySet(models.QuerySet):
    def standing(self):
        return self.filter(revoked_at__isnull=True)


class Commendation(models.Model):
    """A department's public commendation (通报表扬) of one volunteer or one organization."""

    department = models.ForeignKey(Department, verbose_name=_("Commending department"), on_delete=models.PROTECT,
                                   related_name="+")
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("Volunteer"), null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="commendations")
    organization = models.ForeignKey(Organization, verbose_name=_("Organization"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="commendations")
    title = models.CharField(_("Commendation"), max_length=128)
    reason = models.TextField(_("Reason for the commendation"), max_length=2000)
    document_number = models.CharField(_("Notice number"), max_length=64, blank=True)
    commended_on = models.DateField(_("Commended on"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Issued by"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("Recorded at"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("Revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Revoked by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    revoke_reason = models.CharField(_("Reason for revocation"), max_length=500, blank=True)

    objects = CommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Commendation by a department")
        verbose_name_plural = _("Commendation by a department")
        ordering = ["-commended_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(volunteer__isnull=False, organization__isnull=True)
                           | models.Q(volunteer__isnull=True, organization__isnull=False)),
                name="commendation_one_subject",
                violation_error_message=_("A commendation is of one volunteer or of one organization."),
            ),
        ]

    def __str__(self):
        return f"{self.title} · {self.subject_name}"

    @property
    def subject_name(self) -> str:
        return self.volunteer.real_name if self.volunteer_id else self.organization.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
