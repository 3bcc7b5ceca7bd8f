"""Protection of volunteers (seed 二(三)): the roster of an activity's volunteers and the
accident insurance an organization records for them.

An activity marked possibly dangerous (人身危险) cannot be started and nobody can sign in to it
until every participant is covered by a recorded accident insurance policy of the organizing
organization whose period covers the activity's dates (``services/protection.py``, rule PR1).
"""
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from engine.directory import rights
from engine.directory.models import Department, Organization
from engine.documents.models import Document

from .records import Activity
from .volunteers import Volunteer


class ActivityParticipant(models.Model):
    """A volunteer registered for an activity by its organization (the roster): who is
    "selected" for the activity until a recruitment app says otherwise (``participants_of``)."""

    activity = models.ForeignKey(Activity, verbose_name=_("Activity"), on_delete=models.PROTECT, related_name="participants")
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("Volunteer"), on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Added by"), null=True,
                                 on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(_("Added at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("Activity participant")
        verbose_name_plural = _("Activity participant")
        ordering = ["activity", "volunteer__volunteer_number"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "volunteer"], name="participant_once_per_activity",
                                    violation_error_message=_("This volunteer is already on the activity's roster.")),
        ]

    def __str__(self):
        return f"{self.volunteer.real_name} · {self.activity.name}"


class InsurancePolicyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The policies ``user`` may read: every one for a superuser, the supervising department's
        staff theirs, an organization's members its own: what ``case_access`` admits for the
        policy's document, so a listed policy's file opens and an unlisted one's does not."""
        if user.is_superuser:
            return self
        return self.filter(models.Q(organization_id__in=rights.organization_ids(user))
                           | models.Q(department_id__in=rights.department_ids(user)))


class InsurancePolicy(models.Model):
    """Accident insurance an organization took out for its volunteers (seed 二(三)): insurer,
    policy number, period and insured persons; the policy document is kept with
    ``engine.documents`` (kind ``insurance_policy``), so the policy plays the document's case:
    it has a reference, a department (the organization's supervising department) and a process."""

    PROCESS_NAME = "certification"

    reference = models.CharField(_("Reference"), max_length=32, unique=True, editable=False)
    organization = models.ForeignKey(Organization, verbose_name=_("Policyholder organization"), on_delete=models.PROTECT,
                                     related_name="insurance_policies")
    department = models.ForeignKey(Department, verbose_name=_("Supervising department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    insurer = models.CharField(_("Insurer"), max_length=128)
    policy_number = models.CharField(_("Policy number"), max_length=64)
    starts_on = models.DateField(_("Cover starts on"))
    ends_on = models.DateField(_("Cover ends on"))
    insured = models.ManyToManyField(Volunteer, verbose_name=_("Insured persons"), related_name="insurance_policies")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Recorded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("Recorded at"), default=timezone.now, editable=False)

    objects = InsurancePolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("Accident insurance policy")
        verbose_name_plural = _("Accident insurance policy")
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="insurance_period_order",
                                   violation_error_message=_("The cover must end on or after the day it starts.")),
            models.UniqueConstraint(fields=["organization", "insurer", "policy_number"], name="insurance_policy_unique",
                                    violation_error_message=_("This policy has already been recorded.")),
        ]

    def __str__(self):
        return f"{self.insurer} {self.policy_number}"

    @property
    def is_final(self) -> bool:
        """A recorded policy is not changed; a new one is recorded instead (D4)."""
        return True

    def documents_handed_in(self) -> bool:
        return Document.objects.filter(case_type=ContentType.objects.get_for_model(self), case_id=self.pk).exists()

    def visible_to(self, user) -> bool:
        return self.organization_id in rights.organization_ids(user)

    def title(self):
        return pgettext_lazy("insurance", "Policy %(number)s") % {"number": self.policy_number}
