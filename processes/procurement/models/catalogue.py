"""The guiding catalogue (指导性目录) and the budget lines a purchase commits (P1). Money is
``Decimal`` with two places (D5); a budget line can never be overcommitted, enforced by a
database check as well as by the services that lock the line."""
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine.directory.models import Department

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")


class CatalogueItem(models.Model):
    """A service in the guiding catalogue (指导性目录) with its standard; only published items may be bought (P1)."""

    code = models.CharField(_("catalogue code"), max_length=32)
    name = models.CharField(_("service name"), max_length=128)
    category = models.CharField(_("service category"), max_length=64)
    service_standard = models.TextField(_("service standard"))
    unit = models.CharField(_("unit"), max_length=32)
    year = models.PositiveSmallIntegerField(_("year"))
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("guiding catalogue item")
        verbose_name_plural = _("guiding catalogue")
        ordering = ["year", "code"]
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="procurement_catalogue_unique")]

    def __str__(self):
        return f"{self.year} {self.code} {self.name}"


class BudgetLine(models.Model):
    """Money a purchasing department may spend on one catalogue item in one year (P1, D5)."""

    department = models.ForeignKey(Department, verbose_name=_("purchasing department"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    item = models.ForeignKey(CatalogueItem, verbose_name=_("catalogue item"), on_delete=models.PROTECT, related_name="budget_lines")
    amount = models.DecimalField(_("budget amount"), **MONEY)
    committed = models.DecimalField(_("committed"), default=ZERO, **MONEY)
    spent = models.DecimalField(_("spent"), default=ZERO, **MONEY)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["year", "department__code", "item__code"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year", "item"], name="procurement_budget_line_unique"),
            models.CheckConstraint(
                condition=Q(committed__gte=0) & Q(spent__gte=0)
                & Q(amount__gte=models.F("committed") + models.F("spent")),
                name="procurement_budget_not_overcommitted",
                violation_error_message=_("Committed and spent together may not exceed the budget amount."),
            ),
        ]

    def __str__(self):
        return f"{self.department} {self.year} {self.item.name}"

    @property
    def available(self) -> Decimal:
        return self.amount - self.committed - self.spent
