"""After the award: the written contract, its milestones and payments, and the performance
evaluation that closes the tender (P8, P9). Money is ``Decimal`` with two places (D5); the sum of
approved payments is kept on the contract and held under its amount by a database check."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from engine.directory.models import Organization

from .catalogue import MONEY, ZERO
from .tenders import Tender


class Contract(models.Model):
    """The written, published contract (P8)."""

    tender = models.OneToOneField(Tender, verbose_name=_("tender"), on_delete=models.PROTECT, related_name="contract")
    organization = models.ForeignKey(Organization, verbose_name=_("contractor"), on_delete=models.PROTECT, related_name="procurement_contracts")
    amount = models.DecimalField(_("contract amount"), **MONEY)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed by"), on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("made public at"), default=timezone.now)
    paid = models.DecimalField(
        _("approved payments"), default=ZERO, editable=False, **MONEY,
        help_text=_("The sum of approved payments; a database constraint keeps it within the contract amount."),
    )

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            # P8 backstop: approvals add to ``paid`` under the tender's row lock; the check holds
            # even if a future code path forgets the lock.
            models.CheckConstraint(
                condition=Q(paid__gte=0) & Q(paid__lte=models.F("amount")), name="procurement_contract_not_overpaid",
                violation_error_message=_("Total payments may not exceed the contract amount."),
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="procurement_contract_amount_positive"),
            models.CheckConstraint(condition=Q(end_date__gt=models.F("start_date")), name="procurement_contract_dates_ordered"),
        ]

    def __str__(self):
        return gettext("Contract %(reference)s") % {"reference": self.tender.reference}


class Milestone(models.Model):
    """A deliverable the department accepts; payments follow accepted milestones (P8)."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="milestones")
    name = models.CharField(_("milestone name"), max_length=128)
    due_date = models.DateField(_("due date"))
    amount = models.DecimalField(_("payment amount"), **MONEY)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_date", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="procurement_milestone_amount_positive")]

    def __str__(self):
        return self.name


class Payment(models.Model):
    """A payment request against an accepted milestone, approved by a finance reviewer (P8)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting finance review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", pgettext_lazy("procurement", "Rejected")

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="payments")
    milestone = models.ForeignKey(Milestone, verbose_name=_("milestone"), on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount"), **MONEY)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reason = models.TextField(_("reason for rejection"), blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["requested_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="procurement_payment_amount_positive")]

    def __str__(self):
        return gettext("Payment request for %(milestone)s") % {"milestone": self.milestone}

    @property
    def awaits_decision(self) -> bool:
        """Requested: a finance reviewer approves or rejects it (P8)."""
        return self.status == self.Status.REQUESTED


class PerformanceEvaluation(models.Model):
    """绩效评价: closes the tender and stays with the organization for future awards (P9)."""

    tender = models.OneToOneField(Tender, verbose_name=_("tender"), on_delete=models.PROTECT, related_name="evaluation")
    organization = models.ForeignKey(Organization, verbose_name=_("contractor"), on_delete=models.PROTECT, related_name="performance_evaluations")
    score = models.DecimalField(_("evaluation score"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("evaluation comment"))
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("evaluated by"), on_delete=models.PROTECT, related_name="+")
    evaluated_at = models.DateTimeField(_("evaluated at"), default=timezone.now)

    class Meta:
        verbose_name = _("performance evaluation")
        verbose_name_plural = _("performance evaluations")
        constraints = [models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="procurement_evaluation_score_range")]

    def __str__(self):
        return gettext("Performance evaluation of %(tender)s") % {"tender": self.tender}
