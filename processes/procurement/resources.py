"""Import of catalogue items and budget lines; XLSX export of tender results.

Exports use django-import-export's ``ModelResource`` with Chinese headers; cells a spreadsheet
would read as formulas are made inert by the engine's ``neutralize``. The results export never
carries a bid price except the awarded one, and that only once the award is published (P4, P6). Imports are all or
nothing: every row is checked first; one bad row writes no row (DESIGN "Quality bars").
"""
from import_export import resources
from import_export.fields import Field

from engine.imports.cells import neutralize

from .models import Tender

AWARD_PUBLIC = ("standstill", "contracting", "delivery", "completed")


class ResultsResource(resources.ModelResource):
    reference = Field(attribute="reference", column_name="编号")
    name = Field(attribute="name", column_name="项目名称")
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

    def export_field(self, field, instance, **kwargs):
        return neutralize(super().export_field(field, instance, **kwargs))

    def dehydrate_method(self, t):
        return t.get_method_display()

    def dehydrate_amount(self, t):
        return str(t.amount)

    def dehydrate_status(self, t):
        return t.get_status_display()

    def dehydrate_tender_end(self, t):
        from django.utils import timezone

        return timezone.localtime(t.tender_end).strftime("%Y-%m-%d %H:%M")

    def dehydrate_supplier(self, t):
        return t.awarded_bid.organization.name if t.awarded_bid_id and t.status in AWARD_PUBLIC else ""

    def dehydrate_award(self, t):
        return str(t.awarded_bid.price) if t.awarded_bid_id and t.status in AWARD_PUBLIC else ""

    def dehydrate_contract(self, t):
        contract = getattr(t, "contract", None)
        return str(contract.amount) if contract else ""

    def dehydrate_performance(self, t):
        evaluation = getattr(t, "evaluation", None)
        return str(evaluation.score) if evaluation else ""


def results_xlsx(tenders, user=None) -> bytes:
    """The results of ``tenders`` (already scoped to the caller) as an XLSX workbook."""
    qs = tenders.select_related("department", "awarded_bid__organization", "contract", "evaluation")
    return ResultsResource().export(queryset=qs).xlsx
