"""Imports of catalogue items and budget lines; XLSX export of tender results.

Imports go through the engine's one import path (registered as "procurement_catalogue" and
"procurement_budget_lines": dry run, background job for big files, row-numbered errors, all or
nothing) and each row through finance's own service (``catalogue_item_create``,
``budget_line_create``), so who may keep which budget line (P1, D1) is checked per row by the
service, with its audit event. The results export is an engine ``ExportResource`` (Chinese
headers, formula-like cells made inert) registered as "procurement_results"; it never carries a
bid price except the awarded one, and that only once the award is published (P4, P6).
"""
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.fields import Field
from import_export.widgets import CharWidget

from engine.directory.models import Department
from engine.imports import registry
from engine.imports.resources import ExportResource, ServiceRowResource
from engine.imports.services import export_data
from engine.imports.widgets import (
    BoundedDecimalWidget,
    CodeForeignKeyWidget,
    WholeNumberWidget,
    YesNoWidget,
)

from .models import BudgetLine, CatalogueItem, Tender
from .services.catalogue import (
    budget_line_create,
    catalogue_item_create,
    is_finance_user,
)


class ResultsResource(ExportResource):
    reference = Field(attribute="reference", column_name="编号")
    name = Field(attribute="name", column_name="the project name")
    department = Field(attribute="department__name", column_name="采购部门")
    method = Field(column_name="采购方式")
    amount = Field(column_name="预算金额（元）")
    status = Field(column_name="状态")
    tender_end = Field(column_name="投标截止时间")
    bids = Field(attribute="bids_at_close", column_name="有效投标数")
    supplier = Field(column_name="中标组织")
    award = Field(column_name="中标金额（元）")
    contract = Field(column_name="合同金额（元）")
    performance = Field(column_name="绩效评价得分")

    class Meta:
        model = Tender
        fields = ("reference", "name", "department", "method", "amount", "status", "tender_end", "bids",
                  "supplier", "award", "contract", "performance")

    def dehydrate_method(self, t):
        return t.get_method_display()

    def dehydrate_amount(self, t):
        return str(t.amount)

    def dehydrate_status(self, t):
        return t.get_status_display()

    def dehydrate_tender_end(self, t):
        return timezone.localtime(t.tender_end).strftime("%Y-%m-%d %H:%M")

    def dehydrate_supplier(self, t):
        return t.awarded_bid.organization.name if t.awarded_bid_id and t.status in Tender.AWARD_PUBLIC_STATES else ""

    def dehydrate_award(self, t):
        return str(t.awarded_bid.price) if t.awarded_bid_id and t.status in Tender.AWARD_PUBLIC_STATES else ""

    def dehydrate_contract(self, t):
        contract = getattr(t, "contract", None)
        return str(contract.amount) if contract else ""

    def dehydrate_performance(self, t):
        evaluation = getattr(t, "evaluation", None)
        return str(evaluation.score) if evaluation else ""


def results_xlsx(tenders, user=None) -> bytes:
    """The results of ``tenders`` (already scoped to the caller) as an XLSX workbook."""
    qs = tenders.select_related("department", "awarded_bid__organization", "contract", "evaluation")
    return export_data("procurement_results", qs, "xlsx")


class PublishedWidget(YesNoWidget):
    """是/否, also 已发布/未发布 as finance's sheets write it."""

    TRUE = YesNoWidget.TRUE | {"已发布"}
    FALSE = YesNoWidget.FALSE | {"未发布"}


class CatalogueImportResource(ServiceRowResource):
    """One guiding-catalogue item per row (P1), created by ``catalogue_item_create``."""

    code = Field(attribute="code", column_name="目录编码", widget=CharWidget())
    name = Field(attribute="name", column_name="服务名称", widget=CharWidget())
    category = Field(attribute="category", column_name="服务类别", widget=CharWidget())
    service_standard = Field(attribute="service_standard", column_name="服务标准", widget=CharWidget())
    unit = Field(attribute="unit", column_name="计量单位", widget=CharWidget())
    year = Field(attribute="year", column_name="年度", widget=WholeNumberWidget())
    published = Field(attribute="published", column_name="已发布", widget=PublishedWidget())

    required_columns = ("name", "category", "service_standard", "unit")

    class Meta:
        model = CatalogueItem
        fields = ("code", "name", "category", "service_standard", "unit", "year", "published")
        import_id_fields = ("year", "code")

    @classmethod
    def can_import(cls, user) -> bool:
        return is_finance_user(user)

    def import_row(self, row) -> str:
        values = self.cells(row, required=("code", "name", "category", "service_standard", "unit", "year"))
        values["published"] = bool(values["published"])
        catalogue_item_create(actor=self.user, **values)
        return "created"


class BudgetLineImportResource(ServiceRowResource):
    """One budget line per row, created by ``budget_line_create``, which checks per row that
    the importer's 财政局 keeps that department's budget (D1)."""

    department = Field(attribute="department", column_name="部门代码", widget=CodeForeignKeyWidget(Department))
    year = Field(attribute="year", column_name="年度", widget=WholeNumberWidget())
    item = Field(attribute="item", column_name="目录编码", widget=CharWidget())
    amount = Field(attribute="amount", column_name="预算金额", widget=BoundedDecimalWidget())

    required_columns = ("amount",)

    class Meta:
        model = BudgetLine
        fields = ("department", "year", "item", "amount")
        import_id_fields = ("department", "year", "item")

    @classmethod
    def can_import(cls, user) -> bool:
        return is_finance_user(user)

    def import_row(self, row) -> str:
        values = self.cells(row, required=self._meta.fields)
        item = CatalogueItem.objects.filter(year=values["year"], code=values["item"]).first()
        if item is None:
            raise ValidationError({"item": [_("The guiding catalogue of the year has no item with this code.")]})
        budget_line_create(actor=self.user, department=values["department"], year=values["year"], item=item,
                           amount=values["amount"])
        return "created"


registry.register("procurement_catalogue", CatalogueImportResource)
registry.register("procurement_budget_lines", BudgetLineImportResource)
registry.register("procurement_results", ResultsResource)
