"""Admin: catalogue items are added through their service; cases and money are read-only here (they change only
through services). Bid prices and contents are not shown while sealed (P4), nor ever for a
withdrawn or replaced version."""
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine.admin_base import ReadOnlyAdmin

from . import services
from .models import (
    Bid,
    BudgetLine,
    CatalogueItem,
    Complaint,
    Contract,
    Enquiry,
    Milestone,
    Payment,
    PerformanceEvaluation,
    ScoreSheet,
    Tender,
)
from .services.catalogue import is_city_finance_user

SEALED = _("Sealed until the bidding deadline")
WITHDRAWN = _("Withdrawn, not to be opened")
SEALED_FIELDS = {"price", "content"}


@admin.register(CatalogueItem)
class CatalogueItemAdmin(admin.ModelAdmin):
    """Finance adds items here through the audited service (P1, D4); publishing and withdrawing
    go through the budget page, and an item that tenders refer to is never edited in place."""

    list_display = ("year", "code", "name", "category", "unit", "published")
    list_filter = ("year", "published", "category")
    search_fields = ("code", "name")
    fields = ("code", "name", "category", "service_standard", "unit", "year", "published")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and is_city_finance_user(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        item = services.catalogue_item_create(actor=request.user, **{f: form.cleaned_data[f] for f in self.fields})
        obj.pk, obj._state.adding = item.pk, False


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnlyAdmin):
    list_display = ("year", "department", "item", "amount", "committed", "spent")
    list_filter = ("year",)
    list_select_related = ("department", "item")


@admin.register(Tender)
class TenderAdmin(ReadOnlyAdmin):
    list_display = ("reference", "name", "department", "method", "amount", "status", "tender_end")
    list_filter = ("status", "method")
    search_fields = ("reference", "name")
    list_select_related = ("department",)
    exclude = ("awarded_bid",)


@admin.register(Bid)
class BidAdmin(ReadOnlyAdmin):
    """P4 (招标投标法 Art. 22): a bid of a tender still sealed is not listed at all — not its
    bidder, not how many there are (the list's count, search and filters read this queryset)."""

    list_display = ("tender", "organization", "submitted_at", "withdrawn_at", "sealed_price", "rank")
    list_select_related = ("tender", "organization")
    fields = ("tender", "organization", "submitted_at", "withdrawn_at", "sealed_price", "sealed_content",
              "valid", "invalid_reason", "rank")
    readonly_fields = fields
    search_fields = ("tender__reference", "organization__name")

    def get_queryset(self, request):
        now = timezone.now()
        return super().get_queryset(request).filter(tender__bids_at_close__isnull=False, tender__tender_end__lte=now)

    def lookup_allowed(self, lookup, value, request=None):
        """P4: no filtering on price or content (``?price__gte=`` would reveal a sealed price by
        the number of rows); the admin offers no such filter, so refusing costs nothing."""
        if lookup.split("__")[0] in SEALED_FIELDS:
            return False
        return super().lookup_allowed(lookup, value, request)

    @staticmethod
    def _unopened(bid):
        if bid.withdrawn_at is not None:
            return WITHDRAWN
        return SEALED if bid.tender.sealed else None

    @admin.display(description=_("price"))
    def sealed_price(self, bid):
        return self._unopened(bid) or bid.price

    @admin.display(description=_("bid content"))
    def sealed_content(self, bid):
        return self._unopened(bid) or bid.content


for model in (ScoreSheet, Complaint, Enquiry, Contract, Milestone, Payment, PerformanceEvaluation):
    admin.site.register(model, ReadOnlyAdmin)
