"""What the procurement endpoints look up: a tender the caller may see (or 404), and the
department, catalogue item or budget line a body names (or 400)."""
from engine.api.generic import referenced_or_400, visible_or_404
from engine.directory.models import Department

from .. import selectors
from ..models import BudgetLine, CatalogueItem, Tender


def tender_visible(user, reference) -> Tender:
    return visible_or_404(selectors.tenders_visible_to(user), "采购项目不存在。", reference=reference)


def department_by_code(code) -> Department:
    return referenced_or_400(Department.objects, "department", "部门不存在。", code=code)


def catalogue_item_by_id(pk) -> CatalogueItem:
    return referenced_or_400(CatalogueItem.objects, "id", "目录项不存在。", pk=pk)


def budget_line_by_id(pk) -> BudgetLine:
    return referenced_or_400(BudgetLine.objects, "id", "预算指标不存在。", pk=pk)
