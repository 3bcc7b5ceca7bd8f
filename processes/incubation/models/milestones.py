"""Milestones of the incubation period (I4) and nominations after graduation (I6)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .applications import IncubationApplication


class Milestone(models.Model):
    """A recorded incubation milestone with its evidence (I4): registration, training, project."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("Registration assistance")
        TRAINING = "training", _("Capacity-building training")
        PROJECT = "project", _("Volunteer service project")

    application = models.ForeignKey(
        IncubationApplication, verbose_name=_("incubation application"), on_delete=models.PROTECT, related_name="milestones"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    happened_on = models.DateField(_("date"))
    evidence = models.TextField(_("evidence"))
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("incubation milestone")
        verbose_name_plural = _("incubation milestones")
        ordering = ["happened_on", "pk"]

    def __str__(self):
        return gettext("%(kind)s: %(title)s") % {"kind": self.get_kind_display(), "title": self.title}


class Nomination(models.Model):
    """I6: a graduated organization to the demonstration list, or one of its projects to the
    excellent project library; 民政局 approves."""

    class Kind(models.TextChoices):
        DEMONSTRATION = "demonstration", _("Model volunteer service organization")
        PROJECT_LIBRARY = "project_library", _("Excellent volunteer service project library")

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting approval by the Civil Affairs Bureau")
        APPROVED = "approved", _("Selected")
        REFUSED = "refused", _("Not selected")

    application = models.ForeignKey(
        IncubationApplication, verbose_name=_("incubation application"), on_delete=models.PROTECT, related_name="nominations"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    project = models.ForeignKey(
        Milestone, verbose_name=_("project"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("Status"), max_length=16, choices=State.choices, default=State.PENDING)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("nominated by"), on_delete=models.PROTECT,
                                     related_name="+")
    nominated_at = models.DateTimeField(_("nominated at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(pgettext_lazy("incubation", "reason"), blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "project"], name="incubation_nomination_once"),
        ]

    def __str__(self):
        return gettext("%(kind)s: %(application)s") % {"kind": self.get_kind_display(), "application": self.application}

    @property
    def is_pending(self) -> bool:
        """Waiting for 民政局's decision (I6)."""
        return self.state == self.State.PENDING
