"""An incubation base's own settings (I2, I4, I5); the defaults come from ``conf``."""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from engine.directory.models import Department

from .. import conf


class IncubationBaseSettings(models.Model):
    """One base's settings (I2, I4, I5); capacity is ``Department.capacity`` (I3)."""

    base = models.OneToOneField(
        Department, verbose_name=_("孵化基地"), on_delete=models.CASCADE, primary_key=True,
        related_name="incubation_settings", limit_choices_to={"kind": Department.Kind.INCUBATION_BASE},
    )
    period_months = models.PositiveSmallIntegerField(_("孵化期（月）"), default=conf.period_months)
    pass_mark = models.DecimalField(
        _("专家评审及格分"), max_digits=5, decimal_places=2, default=conf.pass_mark,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    expert_count = models.PositiveSmallIntegerField(
        _("评审专家人数"), default=conf.expert_count, validators=[MinValueValidator(1)]
    )
    midterm_enabled = models.BooleanField(_("开展中期评估"), default=conf.midterm_enabled)
    extension_limit = models.PositiveSmallIntegerField(_("最多延期次数"), default=conf.extension_limit)
    graduation_pass_mark = models.DecimalField(
        _("结业评审及格分"), max_digits=5, decimal_places=2, default=conf.graduation_pass_mark,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("孵化基地设置")
        verbose_name_plural = _("孵化基地设置")

    def __str__(self):
        return f"{self.base} 设置"

    @classmethod
    def for_base(cls, base):
        """The base's stored settings, or the defaults when none are stored."""
        try:
            return cls.objects.get(base=base)
        except cls.DoesNotExist:
            return cls(base=base)
