"""An incubation base's own settings (I2, I4, I5); the defaults come from ``conf``."""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from engine.directory.models import Department

from .. import conf


class IncubationBaseSettings(models.Model):
    """One base's settings (I2, I4, I5); capacity is ``Department.capacity`` (I3)."""

    base = models.OneToOneField(
        Department, verbose_name=_("incubation base"), on_delete=models.CASCADE, primary_key=True,
        related_name="incubation_settings", limit_choices_to={"kind": Department.Kind.INCUBATION_BASE},
    )
    period_months = models.PositiveSmallIntegerField(_("incubation period (months)"), default=conf.period_months)
    pass_mark = models.DecimalField(
        _("expert review pass mark"), max_digits=5, decimal_places=2, default=conf.pass_mark,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    expert_count = models.PositiveSmallIntegerField(
        _("number of experts"), default=conf.expert_count, validators=[MinValueValidator(1)]
    )
    midterm_enabled = models.BooleanField(_("midterm review held"), default=conf.midterm_enabled)
    extension_limit = models.PositiveSmallIntegerField(_("maximum extensions"), default=conf.extension_limit)
    graduation_pass_mark = models.DecimalField(
        _("graduation review pass mark"), max_digits=5, decimal_places=2, default=conf.graduation_pass_mark,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("incubation base settings")
        verbose_name_plural = _("incubation base settings")

    def __str__(self):
        return _("%(base)s settings") % {"base": self.base}

    @classmethod
    def for_base(cls, base):
        """The base's stored settings, or the defaults when none are stored."""
        try:
            return cls.objects.get(base=base)
        except cls.DoesNotExist:
            return cls(base=base)
