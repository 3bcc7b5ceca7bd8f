"""The experts' independent score sheets and conflict declarations (I2, D3)."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .applications import IncubationApplication


class ExpertScore(models.Model):
    """One expert's independent score sheet for one application (I2)."""

    application = models.ForeignKey(
        IncubationApplication, verbose_name=_("incubation application"), on_delete=models.CASCADE, related_name="expert_scores"
    )
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT,
                               related_name="+")
    score = models.DecimalField(
        _("score"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    comment = models.TextField(_("review comments"), blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    class Meta:
        verbose_name = _("expert score")
        verbose_name_plural = _("expert scores")
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="incubation_expert_once")]

    def __str__(self):
        return gettext("Score by %(expert)s") % {"expert": self.expert}


class ExpertRecusal(models.Model):
    """An assigned expert's declaration of a conflict of interest with the applicant (D3): the
    expert may not score it, nor be chosen again for this organization's applications."""

    application = models.ForeignKey(
        IncubationApplication, verbose_name=_("incubation application"), on_delete=models.PROTECT, related_name="recusals"
    )
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT,
                               related_name="+")
    statement = models.TextField(_("conflict of interest statement"))
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expert recusal")
        verbose_name_plural = _("expert recusals")
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="incubation_recusal_once")]
