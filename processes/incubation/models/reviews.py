"""The experts' independent score sheets and conflict declarations (I2, D3)."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import IncubationApplication


class ExpertScore(models.Model):
    """One expert's independent score sheet for one application (I2)."""

    application = models.ForeignKey(
        IncubationApplication, verbose_name=_("孵化申请"), on_delete=models.CASCADE, related_name="expert_scores"
    )
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评审专家"), on_delete=models.PROTECT,
                               related_name="+")
    score = models.DecimalField(
        _("评分"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    comment = models.TextField(_("评审意见"), blank=True)
    assigned_at = models.DateTimeField(_("分配时间"), auto_now_add=True)
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家评分")
        verbose_name_plural = _("专家评分")
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="incubation_expert_once")]


class ExpertRecusal(models.Model):
    """An assigned expert's declaration of a conflict of interest with the applicant (D3): the
    expert may not score it, nor be chosen again for this organization's applications."""

    application = models.ForeignKey(
        IncubationApplication, verbose_name=_("孵化申请"), on_delete=models.PROTECT, related_name="recusals"
    )
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评审专家"), on_delete=models.PROTECT,
                               related_name="+")
    statement = models.TextField(_("利益冲突说明"))
    declared_at = models.DateTimeField(_("声明时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家回避声明")
        verbose_name_plural = _("专家回避声明")
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="incubation_recusal_once")]
