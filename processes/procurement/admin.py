"""Admin: the catalogue is editable; cases and money are read-only here (they change only
through services). Bid prices and contents are not shown while sealed (P4)."""
from django.contrib import admin

from engine.admin_base import ReadOnlyAdmin

from .models import (
    Bid, BudgetLine, CatalogueItem, Complaint, Contract, Milestone, Payment, PerformanceEvaluation, ScoreSheet, Tender,
)

SEALED = "密封至投标截止"


@admin.register(CatalogueItem)
class CatalogueItemAdmin(admin.ModelAdmin):
    list_display = ("year", "code", "name", "category", "unit", "published")
    list_filter = ("year", "published", "category")
    search_fields = ("code", "name")


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
    list_display = ("tender", "organization", "submitted_at", "withdrawn_at", "sealed_price", "rank")
    list_select_related = ("tender", "organization")
    fields = ("tender", "organization", "submitted_at", "withdrawn_at", "sealed_price", "sealed_content",
              "valid", "invalid_reason", "rank")
    readonly_fields = fields
    search_fields = ("tender__reference", "organization__name")

    @admin.display(description="报价")
    def sealed_price(self, bid):
        return SEALED if bid.tender.sealed else bid.price

    @admin.display(description="投标内容")
    def sealed_content(self, bid):
        return SEALED if bid.tender.sealed else bid.content


for model in (ScoreSheet, Complaint, Contract, Milestone, Payment, PerformanceEvaluation):
    admin.site.register(model, ReadOnlyAdmin)
