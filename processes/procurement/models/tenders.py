"""The tender, the case of this process (``ZB-2026-000042``), with its bids, the experts'
declarations and score sheets (P3–P5) and the bidders' complaints (P7). Its FSM is DOMAIN.md's
tender lifecycle."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from engine.cases.models import Case
from engine.directory.models import Organization, OrganizationMember

from .. import conf
from .catalogue import MONEY, ZERO, BudgetLine, CatalogueItem


class Tender(Case):
    """A purchase of services from draft to the performance evaluation (DOMAIN "Tender lifecycle")."""

    REFERENCE_PREFIX = "ZB"
    PROCESS_NAME = "procurement"
    TITLE_FORMAT = "%(reference)s %(name)s"
    TITLE_FIELDS = {"name": "name"}
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINANCE_PRECHECK = "finance_precheck", _("Finance pre-check")
        PUBLISHED = "published", _("Published (enquiry period)")
        TENDERING = "tendering", _("Bidding")
        EVALUATION = "evaluation", _("Under evaluation")
        AWARD_REVIEW = "award_review", _("Award under finance review")
        STANDSTILL = "standstill", _("Award published (standstill)")
        CONTRACTING = "contracting", _("Contracting")
        DELIVERY = "delivery", _("In delivery")
        COMPLETED = "completed", pgettext_lazy("procurement", "Completed")
        CANCELLED = "cancelled", _("Cancelled")
        UNSUCCESSFUL = "unsuccessful", _("Unsuccessful")

    FINAL_STATES = (Status.COMPLETED, Status.CANCELLED, Status.UNSUCCESSFUL)

    CANCELLABLE = [Status.DRAFT, Status.FINANCE_PRECHECK, Status.PUBLISHED, Status.TENDERING, Status.EVALUATION,
                   Status.AWARD_REVIEW, Status.STANDSTILL]
    # P4: until the bidding deadline has been processed, bids stay sealed.
    SEALED_STATES = (Status.DRAFT, Status.FINANCE_PRECHECK, Status.PUBLISHED, Status.TENDERING)
    # P6: the award is public once finance has approved it (from the standstill on).
    AWARD_PUBLIC_STATES = (Status.STANDSTILL, Status.CONTRACTING, Status.DELIVERY, Status.COMPLETED)

    status = FSMField(_("status"), default=Status.DRAFT, choices=Status.choices, protected=True, db_index=True)
    name = models.CharField(_("project name"), max_length=200)
    description = models.TextField(_("project description"), blank=True)
    catalogue_item = models.ForeignKey(CatalogueItem, verbose_name=_("catalogue item"), on_delete=models.PROTECT, related_name="tenders")
    budget_line = models.ForeignKey(BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="tenders")
    method = models.CharField(_("procurement method"), max_length=32, choices=conf.METHOD_CHOICES, default="open")
    amount = models.DecimalField(_("budget (price ceiling)"), **MONEY)
    committed_amount = models.DecimalField(_("committed budget"), default=ZERO, editable=False, **MONEY)
    recurring = models.BooleanField(_("stable recurring service"), default=False, help_text=_("The contract may run for up to three years."))
    enquiry_end = models.DateTimeField(_("end of enquiries"))
    tender_end = models.DateTimeField(_("bidding deadline"))
    standstill_end = models.DateTimeField(_("end of standstill"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    price_weight = models.DecimalField(_("price weight"), max_digits=5, decimal_places=2, default=conf.default_price_weight)
    criteria = models.JSONField(_("scoring criteria"), default=conf.default_criteria, help_text=_("[{code, name, weight}]; the technical weights and the price weight add up to 100."))
    experts = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("expert"), blank=True, related_name="+")
    invitees = models.ManyToManyField(
        Organization, verbose_name=_("invited organizations"), blank=True, related_name="procurement_invitations",
        help_text=_("Invited tender, single source: only invited organizations may bid."),
    )
    awarded_bid = models.ForeignKey("Bid", verbose_name=_("winning bid"), null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False)
    bids_at_close = models.PositiveIntegerField(_("valid bids at the deadline"), null=True, blank=True, editable=False)
    outcome_reason = models.TextField(_("reason for return, cancellation or failure"), blank=True, editable=False)

    class Meta:
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "enquiry_end"], name="tender_enquiry_due_idx"),
            models.Index(fields=["status", "tender_end"], name="tender_bidding_due_idx"),
            models.Index(fields=["status", "standstill_end"], name="tender_standstill_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="procurement_tender_amount_positive"),
            models.CheckConstraint(condition=Q(tender_end__gt=models.F("enquiry_end")), name="procurement_tender_periods_ordered"),
        ]

    def get_absolute_url(self):
        """The tender's file in the procurement workbench (bids, ranking, contract)."""
        return reverse("procurement:detail", args=[self.reference])

    @classmethod
    def conflicting_cases(cls, user):
        """D3, P4: the tenders ``user`` may work no task of, as a query of their ids (the queue
        leaves them out; ``conflicts_with`` asks the same query about one tender). Parties never
        work their own case: members of an organization that bid (the proposed winner's among
        them), and an expert who recused from the tender."""
        organizations = OrganizationMember.objects.filter(user_id=user.pk).values("organization_id")
        return cls.objects.filter(
            Q(pk__in=Bid.objects.filter(organization_id__in=organizations).values("tender_id"))
            | Q(pk__in=ExpertDeclaration.objects.filter(expert_id=user.pk, recused=True).values("tender_id"))
        ).values("pk")

    def conflicts_with(self, user) -> bool:
        """D3: the engine refuses claim, reassignment, delegation and completion of any task of
        this tender to a party of it (see ``conflicting_cases``)."""
        return self.pk is not None and Tender.objects.filter(pk=self.pk, pk__in=Tender.conflicting_cases(user)).exists()

    def parties_among(self, user_ids) -> set[int]:
        """``conflicts_with`` for many people in one query (see ``conflicting_cases``)."""
        bidders = OrganizationMember.objects.filter(
            user_id__in=user_ids, organization_id__in=self.bids.values("organization_id"),
        ).values_list("user_id", flat=True)
        recused = ExpertDeclaration.objects.filter(
            tender_id=self.pk, expert_id__in=user_ids, recused=True).values_list("expert_id", flat=True)
        return set(bidders.union(recused))

    def visible_to(self, user) -> bool:
        """No one beyond the departments that work on it: the engine's case view shows the whole
        audit history, which names bidders during bidding and the experts. Organizations read
        public tenders and their own bids through the procurement API and the portal instead."""
        return False

    @property
    def sealed(self) -> bool:
        """P4: bids stay sealed until the deadline has passed and the close has been processed
        (which records ``bids_at_close``); a tender cancelled before its close stays sealed."""
        return self.bids_at_close is None or timezone.now() < self.tender_end

    @property
    def summary_html(self):
        """The tender's essentials on the engine's task page; bids only once unsealed (P4)."""
        bids = [] if self.sealed else list(
            self.bids.filter(withdrawn_at__isnull=True).select_related("organization").order_by("rank", "submitted_at")
        )
        return render_to_string("procurement/_summary.html", {"tender": self, "bids": bids})

    @property
    def method_spec(self) -> dict:
        return conf.method(self.method)

    @property
    def by_invitation(self) -> bool:
        return bool(self.method_spec.get("invitation"))

    # --- the FSM (DOMAIN "Tender lifecycle") ---------------------------------------------
    @transition(field=status, source=Status.DRAFT, target=Status.FINANCE_PRECHECK)
    def submit(self):
        pass

    @transition(field=status, source=Status.FINANCE_PRECHECK, target=Status.DRAFT)
    def refuse_precheck(self, reason):
        self.outcome_reason = reason

    @transition(field=status, source=Status.FINANCE_PRECHECK, target=Status.PUBLISHED)
    def publish(self, committed):
        self.committed_amount = committed
        self.published_at = timezone.now()
        self.outcome_reason = ""

    @transition(field=status, source=Status.PUBLISHED, target=Status.TENDERING)
    def open_bidding(self):
        pass

    @transition(field=status, source=Status.TENDERING, target=Status.EVALUATION)
    def close_bidding(self, bids):
        self.bids_at_close = bids

    @transition(field=status, source=Status.EVALUATION, target=Status.AWARD_REVIEW)
    def propose_award(self, bid):
        self.awarded_bid = bid

    @transition(field=status, source=Status.AWARD_REVIEW, target=Status.STANDSTILL)
    def approve_award(self, standstill_end):
        self.standstill_end = standstill_end

    @transition(field=status, source=Status.STANDSTILL, target=Status.CONTRACTING)
    def end_standstill(self):
        pass

    @transition(field=status, source=Status.CONTRACTING, target=Status.DELIVERY)
    def sign_contract(self):
        pass

    @transition(field=status, source=Status.DELIVERY, target=Status.COMPLETED)
    def complete(self):
        pass

    @transition(field=status, source=CANCELLABLE, target=Status.CANCELLED)
    def cancel(self, reason):
        self.outcome_reason = reason

    @transition(field=status, source=[Status.TENDERING, Status.EVALUATION, Status.AWARD_REVIEW], target=Status.UNSUCCESSFUL)
    def fail(self, reason, bids=None):
        self.outcome_reason = reason
        if bids is not None:
            self.bids_at_close = bids


class Bid(models.Model):
    """An organization's offer; sealed until the deadline (P4). Replacing keeps the old version."""

    tender = models.ForeignKey(Tender, verbose_name=_("tender"), on_delete=models.PROTECT, related_name="bids")
    organization = models.ForeignKey(Organization, verbose_name=_("bidding organization"), on_delete=models.PROTECT, related_name="procurement_bids")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+")
    price = models.DecimalField(_("price"), **MONEY)
    content = models.TextField(_("bid content"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    replaced_by = models.OneToOneField("self", verbose_name=_("replaced by"), null=True, blank=True, on_delete=models.PROTECT, related_name="replaces")
    valid = models.BooleanField(_("valid"), null=True, blank=True, help_text=_("Checked after the deadline: whether eligibility and price are valid."))
    invalid_reason = models.CharField(_("reason invalid"), max_length=200, blank=True)
    price_score = models.DecimalField(_("price score"), max_digits=7, decimal_places=2, null=True, blank=True)
    technical_score = models.DecimalField(_("technical score"), max_digits=7, decimal_places=2, null=True, blank=True)
    total_score = models.DecimalField(_("total score"), max_digits=7, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["tender", "rank", "submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "organization"], condition=Q(withdrawn_at__isnull=True),
                name="procurement_one_live_bid_per_organization",
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="procurement_bid_price_positive"),
        ]

    def __str__(self):
        return f"{self.tender.reference} · {self.organization}"

    @property
    def is_live(self):
        return self.withdrawn_at is None


class ExpertDeclaration(models.Model):
    """An expert's conflict-of-interest declaration for one tender (D3)."""

    tender = models.ForeignKey(Tender, verbose_name=_("tender"), on_delete=models.PROTECT, related_name="declarations")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="+")
    conflicts = models.ManyToManyField(Organization, verbose_name=_("organizations with a conflict of interest"), blank=True, related_name="+")
    statement = models.TextField(_("statement"), blank=True)
    recused = models.BooleanField(
        _("recused"), default=False,
        help_text=_("The expert declared a conflict of interest with this tender and stands down from the evaluation; the department head reassigns their evaluation tasks."),
    )
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        verbose_name = _("conflict-of-interest declaration")
        verbose_name_plural = _("conflict-of-interest declarations")
        constraints = [models.UniqueConstraint(fields=["tender", "expert"], name="procurement_one_declaration")]


class ScoreSheet(models.Model):
    """One expert's scores for one bid on the tender's weighted criteria (P5)."""

    tender = models.ForeignKey(Tender, verbose_name=_("tender"), on_delete=models.PROTECT, related_name="score_sheets")
    bid = models.ForeignKey(Bid, verbose_name=_("bid"), on_delete=models.PROTECT, related_name="score_sheets")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(_("scores"))
    technical_total = models.DecimalField(_("technical total"), max_digits=7, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("scored at"), default=timezone.now)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [models.UniqueConstraint(fields=["bid", "expert"], name="procurement_one_sheet_per_expert_bid")]

    def __str__(self):
        return gettext("Score sheet of %(expert)s for %(bid)s") % {"expert": self.expert, "bid": self.bid}


class Complaint(models.Model):
    """A bidder's complaint (质疑) during the standstill; open ones block contracting (P7)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting answer")
        ANSWERED = "answered", _("Answered")
        ESCALATED = "escalated", _("Escalated to the finance bureau")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    BLOCKING = (Status.OPEN, Status.ESCALATED, Status.UPHELD)

    tender = models.ForeignKey(Tender, verbose_name=_("tender"), on_delete=models.PROTECT, related_name="complaints")
    organization = models.ForeignKey(Organization, verbose_name=_("complaining organization"), on_delete=models.PROTECT, related_name="+")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("grounds of complaint"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision = models.TextField(_("finance bureau's decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=pgettext_lazy("procurement", "decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["filed_at"]

    @property
    def awaits_answer(self) -> bool:
        """Open: the purchasing department answers it (P7)."""
        return self.status == self.Status.OPEN

    @property
    def may_escalate(self) -> bool:
        """P7: an answered complaint goes to finance only while the standstill lasts."""
        return self.status == self.Status.ANSWERED and self.tender.status == Tender.Status.STANDSTILL

    @property
    def awaits_decision(self) -> bool:
        """Escalated: finance upholds or dismisses it (P7)."""
        return self.status == self.Status.ESCALATED
