"""Students who volunteer (seed 五(一), 教育局): a volunteer's school, student number and grade,
with the student's or guardian's recorded consent to share approved hours with the school.
Without consent (never given or withdrawn) the student appears in no school's list or export."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine.directory.models import Department

from .volunteers import Volunteer


class StudentProfile(models.Model):
    """A volunteer who is a student of one school (a department of kind ``school``)."""

    class ConsentBy(models.TextChoices):
        STUDENT = "student", _("The student")
        GUARDIAN = "guardian", _("The guardian")

    volunteer = models.OneToOneField(Volunteer, verbose_name=_("Volunteer"), on_delete=models.CASCADE,
                                     related_name="student")
    school = models.ForeignKey(Department, verbose_name=_("School"), on_delete=models.PROTECT,
                               related_name="students", limit_choices_to={"kind": "school"})
    student_number = models.CharField(_("Student number"), max_length=32)
    grade = models.CharField(_("Grade and class"), max_length=32, blank=True)
    consent_at = models.DateTimeField(_("Consent to share hours given at"), null=True, blank=True)
    consent_by = models.CharField(_("Consent given by"), max_length=16, choices=ConsentBy.choices, blank=True)
    consent_note = models.CharField(_("How consent was given"), max_length=200, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Updated by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("Updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("Student volunteer")
        verbose_name_plural = _("Student volunteer")
        ordering = ["school", "student_number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "student_number"], name="student_number_unique_per_school",
                                    violation_error_message=_("This student number is already taken at this school.")),
            models.CheckConstraint(condition=models.Q(consent_at__isnull=True) | ~models.Q(consent_by=""),
                                   name="student_consent_names_who",
                                   violation_error_message=_("Say who gave the consent.")),
        ]

    def __str__(self):
        return f"{self.school} · {self.student_number}"

    @property
    def consents(self) -> bool:
        return self.consent_at is not None
