"""What the procurement endpoints look up: a tender the caller may see (or 404), and the
department, catalogue item or budget line a body names (or 400)."""
from django.utils.translation import gettext as _

from engine.api.generic import referenced_or_400, visible_or_404
from engine.directory.models import Department

from .. import selectors
from ..models import BudgetLine, CatalogueItem, Tender


def tender_visible(user, reference) -> Tender:
    return visible_or_404(selectors.tenders_visible_to(user), _("No such tender."), reference=reference)


def department_by_code(code) -> Department:
    return referenced_or_400(Department.objects, "department", _("No such department."), code=code)


def catalogue_item_by_id(pk) -> CatalogueItem:
    return referenced_or_400(CatalogueItem.objects, "id", _("No such catalogue item."), pk=pk)


def budget_line_by_id(pk) -> BudgetLine:
    return referenced_or_400(BudgetLine.objects, "id", _("No such budget line."), pk=pk)
