"""The time bank (seed 二(四) 时间银行): a double-entry ledger of service hours and the
catalogue of services that hours are exchanged for. Rules T1–T8 are in ``README.md``."""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition
from viewflow.workflow.models import Process

from engine.cases.models import Case
from engine.directory import rights
from engine.directory.models import District, Organization
from processes.certification.models import ServiceRecord, Volunteer, VolunteerPartyMixin

ZERO = Decimal("0.00")


class Account(models.Model):
    """One account of the ledger. A volunteer's account holds their hours (T2: never below
    zero); an organization's "hours issued" account is the other side of every posting from
    its records (T3: never above zero, its negative is the hours it has issued); a provider's
    "held" account carries hours of open redemptions, its "received" account the hours it
    was paid. ``balance`` is the sum of the account's entries, kept under the row lock."""

    class Kind(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volunteer's time account")
        ISSUED = "issued", _("Hours issued by the organization")
        HELD = "held", _("Hours held for redemptions")
        RECEIVED = "received", _("Hours received by the provider")

    kind = models.CharField(_("Kind"), max_length=16, choices=Kind.choices)
    volunteer = models.OneToOneField(Volunteer, verbose_name=_("Volunteer"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="time_account")
    organization = models.ForeignKey(Organization, verbose_name=_("Organization"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="time_accounts")
    balance = models.DecimalField(_("Balance (hours)"), max_digits=10, decimal_places=2, default=ZERO)
    debt = models.DecimalField(_("Hours owed"), max_digits=10, decimal_places=2, default=ZERO,
                               help_text=_("Hours taken back by a correction after they were spent."))
    created_at = models.DateTimeField(_("Created at"), default=timezone.now)

    class Meta:
        verbose_name = _("Time account")
        verbose_name_plural = _("Time account")
        constraints = [
            models.UniqueConstraint(fields=["kind", "organization"], condition=models.Q(organization__isnull=False),
                                    name="timebank_one_account_per_kind_and_organization"),
            models.CheckConstraint(
                condition=(models.Q(kind="volunteer", volunteer__isnull=False, organization__isnull=True)
                           | (~models.Q(kind="volunteer") & models.Q(volunteer__isnull=True, organization__isnull=False))),
                name="timebank_account_owner_fits_kind"),
            # T2: a volunteer's, held and received balance never goes negative; T3 issued never positive
            models.CheckConstraint(condition=models.Q(kind="issued", balance__lte=0) | models.Q(balance__gte=0),
                                   name="timebank_balance_sign",
                                   violation_error_message=_("The balance may not go below zero.")),
            models.CheckConstraint(condition=models.Q(debt__gte=0), name="timebank_debt_not_negative"),
        ]

    def __str__(self):
        owner = self.volunteer.real_name if self.volunteer_id else getattr(self.organization, "name", "")
        return f"{self.get_kind_display()} · {owner}"


class LedgerTransaction(models.Model):
    """One movement of hours: two or more entries summing to zero (T1). A posting and a
    reversal name the record version they are for; each version is posted once and reversed
    once (T4, unique constraints)."""

    class Kind(models.TextChoices):
        POST = "post", _("Approved service hours")
        REVERSE = "reverse", _("Correction reversed the hours")
        SETTLE = "settle", _("Hours owed settled")
        HOLD = "hold", _("Hours held for a redemption")
        CONFIRM = "confirm", _("Redemption delivered")
        RELEASE = "release", _("Hold released")
        TRANSFER = "transfer", _("Hours given to a family member")

    kind = models.CharField(_("Kind"), max_length=16, choices=Kind.choices)
    record = models.ForeignKey(ServiceRecord, verbose_name=_("Service record"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="ledger_transactions")
    redemption = models.ForeignKey("Redemption", verbose_name=_("Redemption"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="transactions")
    shortfall = models.DecimalField(_("Shortfall (hours)"), max_digits=10, decimal_places=2, default=ZERO,
                                    help_text=_("Hours a reversal could not take back because they were spent."))
    memo = models.CharField(_("Memo"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("By"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("Time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Ledger transaction")
        verbose_name_plural = _("Ledger transaction")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # T4: a record version is posted once and reversed once
            models.UniqueConstraint(fields=["record", "kind"], condition=models.Q(kind__in=["post", "reverse"]),
                                    name="timebank_one_posting_per_record_version"),
            models.UniqueConstraint(fields=["redemption", "kind"], condition=models.Q(redemption__isnull=False),
                                    name="timebank_one_movement_per_redemption_step"),
            models.CheckConstraint(condition=models.Q(shortfall__gte=0), name="timebank_shortfall_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class Entry(models.Model):
    """One side of a transaction: a signed amount on one account (credit positive)."""

    transaction = models.ForeignKey(LedgerTransaction, verbose_name=_("Transaction"), on_delete=models.PROTECT,
                                    related_name="entries")
    account = models.ForeignKey(Account, verbose_name=_("Account"), on_delete=models.PROTECT, related_name="entries")
    amount = models.DecimalField(_("Hours"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("Ledger entry")
        verbose_name_plural = _("Ledger entry")
        indexes = [models.Index(fields=["account", "transaction"])]
        constraints = [models.CheckConstraint(condition=~models.Q(amount=0), name="timebank_entry_not_zero")]


class ExchangeService(models.Model):
    """A service a community or organization offers in exchange for hours (T5)."""

    provider = models.ForeignKey(Organization, verbose_name=_("Provider"), on_delete=models.PROTECT,
                                 related_name="exchange_services")
    title = models.CharField(_("Service"), max_length=100)
    description = models.CharField(_("Description"), max_length=500, blank=True)
    hours = models.DecimalField(_("Hours needed"), max_digits=7, decimal_places=2)
    district = models.ForeignKey(District, verbose_name=_("District"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("Open for redemption"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Published by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("Published at"), default=timezone.now)

    class Meta:
        verbose_name = _("Exchangeable service")
        verbose_name_plural = _("Exchangeable service")
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(hours__gt=0), name="timebank_service_hours_positive")]

    def __str__(self):
        return self.title


class RedemptionProcess(Process):
    class Meta:
        proxy = True
        verbose_name = _("Time bank redemption process")


class Redemption(VolunteerPartyMixin, Case):
    """A volunteer exchanges hours for a service (T5–T6): held at once, moved to the provider
    when it confirms delivery, released when it declines, the volunteer cancels or the answer
    time runs out.

    A case like every other: its answer is a task of ``flows.RedemptionFlow`` routed to the
    provider's supervising department and handed to the provider's managers (R1, R9), due on
    the working-day calendar (T6, D2). The volunteer is the case's party and may not answer
    their own redemption as a manager of the provider (D3)."""

    REFERENCE_PREFIX = "SJ"  # 时间 (time bank): SJ-2026-000001
    PROCESS_NAME = "timebank"
    TITLE_FORMAT = _("%(reference)s %(service)s for %(name)s")
    TITLE_FIELDS = {"service": "service__title", "name": "volunteer__real_name"}  # staff see the name, as on a dispute

    class Status(models.TextChoices):
        HELD = "held", _("Awaiting the provider")
        DELIVERED = "delivered", _("Delivered")
        DECLINED = "declined", pgettext_lazy("timebank", "Declined")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    OPEN_STATES = (Status.HELD,)
    FINAL_STATES = (Status.DELIVERED, Status.DECLINED, Status.CANCELLED, Status.EXPIRED)

    volunteer = models.ForeignKey(Volunteer, verbose_name=_("Volunteer"), on_delete=models.PROTECT,
                                  related_name="redemptions")
    service = models.ForeignKey(ExchangeService, verbose_name=_("Service"), on_delete=models.PROTECT,
                                related_name="redemptions")
    provider = models.ForeignKey(Organization, verbose_name=_("Provider"), on_delete=models.PROTECT,
                                 related_name="redemptions")
    handler = models.ForeignKey(Organization, verbose_name=_("Answering organization"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+",
                                help_text=_("The provider, or who answers for it after a merger (none: the department)."))
    hours = models.DecimalField(_("Hours"), max_digits=7, decimal_places=2)
    status = FSMField(_("Status"), default=Status.HELD, choices=Status.choices, protected=True)
    note = models.CharField(_("Note"), max_length=500, blank=True)
    due_at = models.DateTimeField(_("Answer due"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("Decided at"), null=True, blank=True)
    reason = models.CharField(_("Reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("Redeemed at"), default=timezone.now)

    class Meta:
        verbose_name = _("Redemption")
        verbose_name_plural = _("Redemption")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["provider", "status", "due_at"]), models.Index(fields=["status", "due_at"])]

    def search_words(self):
        """Found in the queues by the provider's name and the service besides the title."""
        return [self.provider.name]  # the answering organization's name is not searched: a merger renames nothing

    def visible_to(self, user) -> bool:
        """The volunteer and the provider's members see the redemption as its parties."""
        return bool(self.volunteer.user_id == user.pk
                    or {self.provider_id, self.handler_id} & rights.organization_ids(user))

    @property
    def badge(self) -> str:
        return {self.Status.DELIVERED: "ok", self.Status.DECLINED: "bad", self.Status.EXPIRED: "warn"}.get(self.status, "")

    def _decided(self, by, reason):
        self.decided_by, self.decided_at, self.reason = by, timezone.now(), reason

    @transition(field=status, source=Status.HELD, target=Status.DELIVERED)
    def deliver(self, by, reason=""):
        self._decided(by, reason)

    @transition(field=status, source=Status.HELD, target=Status.DECLINED)
    def decline(self, by, reason):
        self._decided(by, reason)

    @transition(field=status, source=Status.HELD, target=Status.CANCELLED)
    def cancel(self, by, reason=""):
        self._decided(by, reason)

    @transition(field=status, source=Status.HELD, target=Status.EXPIRED)
    def expire(self):
        self._decided(None, "")
