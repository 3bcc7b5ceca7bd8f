"""After the award: the written contract, its milestones and payments, and the performance
evaluation that closes the tender (P8, P9). Money is ``Decimal`` with two places (D5); the sum of
approved payments is kept on the contract and held under its amount by a database check."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine.directory.models import Organization

from .catalogue import MONEY, ZERO
from .tenders import Tender


class Contract(models.Model):
    """The written, published contract (P8)."""

    tender = models.OneToOneField(Tender, verbose_name=_("采购项目"), on_delete=models.PROTECT, related_name="contract")
    organization = models.ForeignKey(Organization, verbose_name=_("承接主体"), on_delete=models.PROTECT, related_name="procurement_contracts")
    amount = models.DecimalField(_("合同金额"), **MONEY)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    signed_at = models.DateTimeField(_("签订时间"), default=timezone.now)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("公开时间"), default=timezone.now)
    paid = models.DecimalField(
        _("已批准付款"), default=ZERO, editable=False, **MONEY,
        help_text=_("已批准付款之和；数据库约束保证不超过合同金额。"),
    )

    class Meta:
        verbose_name = _("合同")
        verbose_name_plural = _("合同")
        constraints = [
            # P8 backstop: approvals add to ``paid`` under the tender's row lock; the check holds
            # even if a future code path forgets the lock.
            models.CheckConstraint(
                condition=Q(paid__gte=0) & Q(paid__lte=models.F("amount")), name="procurement_contract_not_overpaid",
                violation_error_message=_("累计付款不得超过合同金额。"),
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="procurement_contract_amount_positive"),
            models.CheckConstraint(condition=Q(end_date__gt=models.F("start_date")), name="procurement_contract_dates_ordered"),
        ]

    def __str__(self):
        return f"{self.tender.reference} 合同"


class Milestone(models.Model):
    """A deliverable the department accepts; payments follow accepted milestones (P8)."""

    contract = models.ForeignKey(Contract, verbose_name=_("合同"), on_delete=models.PROTECT, related_name="milestones")
    name = models.CharField(_("节点名称"), max_length=128)
    due_date = models.DateField(_("计划完成日期"))
    amount = models.DecimalField(_("对应付款金额"), **MONEY)
    accepted_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("验收人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("履约节点")
        verbose_name_plural = _("履约节点")
        ordering = ["due_date", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="procurement_milestone_amount_positive")]

    def __str__(self):
        return self.name


class Payment(models.Model):
    """A payment request against an accepted milestone, approved by a finance reviewer (P8)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待财政审核")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")

    contract = models.ForeignKey(Contract, verbose_name=_("合同"), on_delete=models.PROTECT, related_name="payments")
    milestone = models.ForeignKey(Milestone, verbose_name=_("履约节点"), on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("金额"), **MONEY)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.TextField(_("驳回原因"), blank=True)

    class Meta:
        verbose_name = _("支付")
        verbose_name_plural = _("支付")
        ordering = ["requested_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="procurement_payment_amount_positive")]

    @property
    def awaits_decision(self) -> bool:
        """Requested: a finance reviewer approves or rejects it (P8)."""
        return self.status == self.Status.REQUESTED


class PerformanceEvaluation(models.Model):
    """绩效评价: closes the tender and stays with the organization for future awards (P9)."""

    tender = models.OneToOneField(Tender, verbose_name=_("采购项目"), on_delete=models.PROTECT, related_name="evaluation")
    organization = models.ForeignKey(Organization, verbose_name=_("承接主体"), on_delete=models.PROTECT, related_name="performance_evaluations")
    score = models.DecimalField(_("评价得分"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("评价意见"))
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评价人"), on_delete=models.PROTECT, related_name="+")
    evaluated_at = models.DateTimeField(_("评价时间"), default=timezone.now)

    class Meta:
        verbose_name = _("绩效评价")
        verbose_name_plural = _("绩效评价")
        constraints = [models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="procurement_evaluation_score_range")]
