"""API representations; bid prices and contents pass through ``may_see_bid_content`` (P4).

Input money is ``MoneyField`` (D5: a JSON string or integer, never a float, at most two places
and fourteen digits), dates and moments lie in a sane range, and free text has a length limit,
so bad input is a 400 that changes nothing."""
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from engine.api.generic import DecisionSerializer

from . import conf
from .models import Bid, BudgetLine, CatalogueItem, Complaint, Contract, Enquiry, Milestone, Payment, Tender
from .selectors import may_see_bid_content
from .services.common import DATE_MAX, DATE_MIN, MONEY_LIMIT, TEXT_LIMIT


@extend_schema_field({"type": "string", "pattern": r"^-?\d{1,12}(\.\d{1,2})?$", "example": "85000.50",
                      "description": _("Amount in yuan: a string or an integer with at most two decimal places; no floating-point numbers")})
class MoneyField(serializers.Field):
    """D5: CNY as a string ("1.50") or an integer; a JSON number with a fraction (a float) is
    refused, since it may already have been rounded on its way here."""

    default_error_messages = {
        "float": _("Submit amounts as a string (e.g. \"1.50\") or an integer, not as a floating-point number."),
        "invalid": _("The amount is not valid."),
        "places": _("Amounts have at most two decimal places."),
        "range": _("The amount must be under one trillion yuan."),
    }

    def to_internal_value(self, data):
        if isinstance(data, float):
            self.fail("float")
        if isinstance(data, bool) or not isinstance(data, (str, int)):
            self.fail("invalid")
        try:
            value = Decimal(str(data).strip())
        except InvalidOperation:
            self.fail("invalid")
        if not value.is_finite():
            self.fail("invalid")
        if abs(value) >= MONEY_LIMIT:  # before quantizing, which cannot hold 1e30 at two places
            self.fail("range")
        if value != value.quantize(Decimal("0.01")):
            self.fail("places")
        return value.quantize(Decimal("0.01"))

    def to_representation(self, value):
        return str(value)


class SaneDateField(serializers.DateField):
    default_error_messages = {"range": format_lazy(_("The date must be between {min} and {max}."), min=DATE_MIN.isoformat(), max=DATE_MAX.isoformat())}

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not (DATE_MIN <= day <= DATE_MAX):
            self.fail("range")
        return day


class SaneDateTimeField(serializers.DateTimeField):
    default_error_messages = {"range": format_lazy(_("The time must be between {min} and {max}."), min=DATE_MIN.isoformat(), max=DATE_MAX.isoformat())}

    def to_internal_value(self, value):
        try:
            moment = super().to_internal_value(value)
        except OverflowError:
            self.fail("range")
        if not (DATE_MIN <= timezone.localtime(moment).date() <= DATE_MAX):
            self.fail("range")
        return moment


def Text(**kwargs):
    """Free text with the services' length limit."""
    return serializers.CharField(max_length=TEXT_LIMIT, **kwargs)


class CatalogueItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = CatalogueItem
        fields = ["id", "code", "name", "category", "service_standard", "unit", "year", "published"]
        read_only_fields = ["id"]
        # a duplicate (year, code) is the database's to refuse, as a 409 also when two arrive at once
        validators = []
        extra_kwargs = {
            "service_standard": {"max_length": TEXT_LIMIT},
            "year": {"min_value": DATE_MIN.year, "max_value": DATE_MAX.year},
        }


class BudgetLineSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True)
    available = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = BudgetLine
        fields = ["id", "department", "year", "item", "item_code", "amount", "committed", "spent", "available"]
        read_only_fields = ["id", "committed", "spent", "available"]


class BudgetLineCreateSerializer(serializers.Serializer):
    department = serializers.CharField(max_length=32)
    year = serializers.IntegerField(min_value=DATE_MIN.year, max_value=DATE_MAX.year)
    item = serializers.IntegerField()
    amount = MoneyField()


class TenderSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    method_display = serializers.CharField(source="get_method_display", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    catalogue_item = serializers.CharField(source="catalogue_item.code", read_only=True)
    awarded_organization = serializers.SerializerMethodField()
    awarded_price = serializers.SerializerMethodField()

    class Meta:
        model = Tender
        fields = [
            "reference", "name", "description", "status", "status_display", "department", "department_name",
            "catalogue_item", "budget_line", "method", "method_display", "amount", "recurring",
            "enquiry_end", "tender_end", "standstill_end", "published_at", "criteria", "price_weight",
            "bids_at_close", "outcome_reason", "awarded_organization", "awarded_price",
        ]

    def _award_public(self, tender):
        return tender.awarded_bid_id and tender.status in Tender.AWARD_PUBLIC_STATES

    def get_awarded_organization(self, tender) -> str | None:
        return tender.awarded_bid.organization.name if self._award_public(tender) else None

    def get_awarded_price(self, tender) -> str | None:
        return str(tender.awarded_bid.price) if self._award_public(tender) else None


class TenderCreateSerializer(serializers.Serializer):
    department = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=200)
    description = Text(required=False, allow_blank=True, default="")
    catalogue_item = serializers.IntegerField()
    budget_line = serializers.IntegerField()
    method = serializers.ChoiceField(choices=conf.METHOD_CHOICES)
    amount = MoneyField()
    recurring = serializers.BooleanField(required=False, default=False)
    enquiry_end = SaneDateTimeField()
    tender_end = SaneDateTimeField()
    experts = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    invitees = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                     help_text=_("Invited tender, single source: ids of the invited organizations"))
    criteria = serializers.ListField(child=serializers.DictField(), required=False)
    price_weight = serializers.CharField(required=False)


class TenderUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    description = Text(required=False, allow_blank=True)
    catalogue_item = serializers.IntegerField(required=False)
    budget_line = serializers.IntegerField(required=False)
    method = serializers.ChoiceField(choices=conf.METHOD_CHOICES, required=False)
    amount = MoneyField(required=False)
    recurring = serializers.BooleanField(required=False)
    enquiry_end = SaneDateTimeField(required=False)
    tender_end = SaneDateTimeField(required=False)
    experts = serializers.ListField(child=serializers.IntegerField(), allow_empty=False, required=False)
    invitees = serializers.ListField(child=serializers.IntegerField(), required=False)
    criteria = serializers.ListField(child=serializers.DictField(), required=False)
    price_weight = serializers.CharField(required=False)


class BidSerializer(serializers.ModelSerializer):
    """Price and content are ``null`` while sealed for the viewer."""  # P4

    tender = serializers.CharField(source="tender.reference", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    price = serializers.SerializerMethodField()
    content = serializers.SerializerMethodField()
    sealed = serializers.SerializerMethodField()
    standing = serializers.SerializerMethodField()

    class Meta:
        model = Bid
        fields = [
            "id", "tender", "organization", "organization_name", "submitted_at", "withdrawn_at",
            "sealed", "price", "content", "valid", "invalid_reason", "price_score", "technical_score",
            "total_score", "rank", "standing",
        ]

    def _visible(self, bid):
        cache = self.context.setdefault("_visible", {})
        if bid.pk not in cache:
            cache[bid.pk] = may_see_bid_content(self.context["request"].user, bid, self.context.setdefault("_rights", {}))
        return cache[bid.pk]

    def get_sealed(self, bid) -> bool:
        return not self._visible(bid)

    def get_price(self, bid) -> str | None:
        return str(bid.price) if self._visible(bid) else None

    def get_content(self, bid) -> str | None:
        return bid.content if self._visible(bid) else None

    def get_standing(self, bid) -> str:
        return bid_standing(bid)


def bid_standing(bid) -> str:
    """Where a bid stands, in words for its bidder (portal and API)."""
    return bid_standing_and_badge(bid)[0]


def bid_standing_and_badge(bid) -> tuple[str, str]:
    """Where a bid stands, in words, and the portal's badge for it (ok, bad, warn or none)."""
    tender = bid.tender
    if bid.withdrawn_at:
        return (gettext("Replaced") if bid.replaced_by_id else gettext("Withdrawn")), ""
    if tender.status == Tender.Status.TENDERING:
        return gettext("Submitted (sealed until the bidding deadline)"), ""
    if tender.status == Tender.Status.CANCELLED:
        return gettext("Tender cancelled"), "bad"
    if bid.valid is False:
        return gettext("Invalid bid: %(reason)s") % {"reason": bid.invalid_reason}, "warn"
    if tender.status == Tender.Status.UNSUCCESSFUL:
        return gettext("Tender failed"), "bad"
    if tender.status in (Tender.Status.EVALUATION, Tender.Status.AWARD_REVIEW):
        return gettext("Under evaluation"), ""
    if tender.awarded_bid_id == bid.pk:
        if tender.status == Tender.Status.STANDSTILL:
            return gettext("Awarded (award notice)"), "ok"
        return gettext("Awarded"), "ok"
    return gettext("Not awarded"), "bad"


class BidSubmitSerializer(serializers.Serializer):
    tender = serializers.CharField(max_length=32)
    organization = serializers.IntegerField()
    price = MoneyField()
    content = Text()


class BidReplaceSerializer(serializers.Serializer):
    price = MoneyField()
    content = Text()


class RecusalSerializer(serializers.Serializer):
    statement = Text()


class ScoreSubmitSerializer(serializers.Serializer):
    declaration = Text(required=False, allow_blank=True, default="")
    conflicts = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    sheets = serializers.ListField(child=serializers.DictField())


class RankingRowSerializer(serializers.Serializer):
    bid = serializers.IntegerField(source="bid.pk")
    organization = serializers.CharField(source="bid.organization.name")
    price = serializers.CharField(source="bid.price")
    price_score = serializers.DecimalField(max_digits=7, decimal_places=2)
    technical_score = serializers.DecimalField(max_digits=7, decimal_places=2)
    total_score = serializers.DecimalField(max_digits=7, decimal_places=2)
    rank = serializers.IntegerField()


class ComplaintSerializer(serializers.ModelSerializer):
    tender = serializers.CharField(source="tender.reference", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Complaint
        fields = ["id", "tender", "organization", "organization_name", "text", "status", "status_display",
                  "answer", "decision", "filed_at"]


class ComplaintFileSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    text = Text()


class EnquirySerializer(serializers.ModelSerializer):
    """An enquiry as the public reads it: the question and, once given, the answer; never who asked."""  # P10

    tender = serializers.CharField(source="tender.reference", read_only=True)
    answered = serializers.BooleanField(source="is_answered", read_only=True)

    class Meta:
        model = Enquiry
        fields = ["id", "tender", "title", "question", "asked_at", "answered", "answer", "answered_at"]


class DepartmentEnquirySerializer(EnquirySerializer):
    """An enquiry as the purchasing department works it: who asked, and when the answer is due."""

    organization_name = serializers.CharField(source="organization.name", read_only=True)
    overdue = serializers.BooleanField(read_only=True)

    class Meta(EnquirySerializer.Meta):
        fields = [*EnquirySerializer.Meta.fields, "organization", "organization_name", "due_at", "overdue"]


class EnquiryAskSerializer(serializers.Serializer):
    organization = serializers.IntegerField(help_text=_("The asking organization (the caller must be a member)."))
    title = serializers.CharField(max_length=200)
    question = Text()


class EnquiryFilterSerializer(serializers.Serializer):
    """The query of the department's enquiry list; any other ``state`` is a 400."""

    state = serializers.ChoiceField(choices=["unanswered", "answered", "overdue"], required=False,
                                    help_text=_("unanswered, answered, or overdue (unanswered past the due time)"))
    tender = serializers.CharField(required=False, max_length=32, help_text=_("A tender's reference"))


class EnquiryAnswerSerializer(serializers.Serializer):
    answer = Text()


class ProcurementTextSerializer(serializers.Serializer):
    text = Text()


@extend_schema_serializer(deprecate_fields=["upheld"])
class ComplaintDecideSerializer(DecisionSerializer):
    # Finance's decision on an escalated complaint (P7): uphold or dismiss, the written decision
    # in ``reason``. The older body {upheld, decision} (decision the written text) is still read.
    decision = serializers.ChoiceField(
        choices=[("uphold", _("Upheld")), ("dismiss", _("Dismissed"))],
        help_text=_("The outcome. With the old (deprecated) body, sent together with upheld, this is the full written decision."))
    reason = Text(help_text=_("The written decision"))
    upheld = serializers.BooleanField(required=False, help_text=_(
        "Deprecated: true means decision uphold, false means dismiss. Use decision and reason instead."))

    old_flag = ("upheld", "uphold", "dismiss")
    old_text_in_decision = True


class ProcurementReasonSerializer(serializers.Serializer):
    reason = Text()


class ContractMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "name", "due_date", "amount", "accepted_at"]


class PaymentSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "milestone", "amount", "status", "status_display", "requested_at", "decided_at", "reason"]


class ContractSerializer(serializers.ModelSerializer):
    tender = serializers.CharField(source="tender.reference", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    milestones = ContractMilestoneSerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)

    class Meta:
        model = Contract
        fields = ["id", "tender", "organization", "organization_name", "amount", "start_date", "end_date",
                  "signed_at", "published_at", "milestones", "payments"]


class ContractMilestoneCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=128)
    due_date = SaneDateField()
    amount = MoneyField()


class PaymentRequestSerializer(serializers.Serializer):
    milestone = serializers.IntegerField()
    amount = MoneyField()


class PerformanceSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=5, decimal_places=2)
    comment = Text()
