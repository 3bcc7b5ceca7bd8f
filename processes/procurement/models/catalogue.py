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

    code = models.CharField(_("目录编码"), max_length=32)
    name = models.CharField(_("服务名称"), max_length=128)
    category = models.CharField(_("服务类别"), max_length=64)
    service_standard = models.TextField(_("服务标准"))
    unit = models.CharField(_("计量单位"), max_length=32)
    year = models.PositiveSmallIntegerField(_("年度"))
    published = models.BooleanField(_("已发布"), default=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("指导性目录项")
        verbose_name_plural = _("指导性目录")
        ordering = ["year", "code"]
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="procurement_catalogue_unique")]

    def __str__(self):
        return f"{self.year} {self.code} {self.name}"


class BudgetLine(models.Model):
    """Money a purchasing department may spend on one catalogue item in one year (P1, D5)."""

    department = models.ForeignKey(Department, verbose_name=_("购买主体"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    item = models.ForeignKey(CatalogueItem, verbose_name=_("目录项"), on_delete=models.PROTECT, related_name="budget_lines")
    amount = models.DecimalField(_("预算金额"), **MONEY)
    committed = models.DecimalField(_("已占用"), default=ZERO, **MONEY)
    spent = models.DecimalField(_("已支付"), default=ZERO, **MONEY)

    class Meta:
        verbose_name = _("预算指标")
        verbose_name_plural = _("预算指标")
        ordering = ["year", "department__code", "item__code"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year", "item"], name="procurement_budget_line_unique"),
            models.CheckConstraint(
                condition=Q(committed__gte=0) & Q(spent__gte=0)
                & Q(amount__gte=models.F("committed") + models.F("spent")),
                name="procurement_budget_not_overcommitted",
                violation_error_message=_("已占用与已支付之和不能超过预算金额。"),
            ),
        ]

    def __str__(self):
        return f"{self.department} {self.year} {self.item.name}"

    @property
    def available(self) -> Decimal:
        return self.amount - self.committed - self.spent
