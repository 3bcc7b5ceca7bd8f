"""Guiding catalogue and budget lines, maintained by finance (P1).

The city-wide guiding catalogue is the city finance bureau's (市财政局) alone (D1): a district
财政局 keeps its district's budget lines but neither creates, publishes nor withdraws catalogue
items. A duplicate created at the same moment as another meets the database's unique
constraint and answers 409, never 500.
"""
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.directory import rights
from engine.directory.models import Department, Role

from ..flows import finance_for
from ..models import BudgetLine, CatalogueItem
from .common import money


def is_finance_user(user) -> bool:
    fin_ids = set(Department.objects.filter(kind=Department.Kind.FIN).values_list("pk", flat=True))
    return user.is_superuser or bool(rights.department_ids(user, (Role.STAFF, Role.REVIEWER, Role.HEAD)) & fin_ids)


def _check(actor):
    if not is_finance_user(actor):
        raise NotAllowed(_("Only finance bureau staff may keep the guiding catalogue and budget lines."))


def is_city_finance_user(user) -> bool:
    city_fin = set(Department.objects.filter(kind=Department.Kind.FIN, level=Department.Level.CITY)
                   .values_list("pk", flat=True))
    return user.is_superuser or bool(rights.department_ids(user, (Role.STAFF, Role.REVIEWER, Role.HEAD)) & city_fin)


def check_catalogue_authority(actor):
    """D1: only the city finance bureau maintains the city-wide guiding catalogue."""
    if not is_city_finance_user(actor):
        raise NotAllowed(_("Only the city finance bureau drafts, publishes and withdraws the guiding catalogue."), code="not_city_finance")


def _save_unique(obj, code, message):
    """Save under a savepoint; the unique constraint that fires for a duplicate created at the
    same moment is a 409 with ``code`` (the outer transaction stays usable until it rolls back)."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise StateConflict(message, code=code) from None


def check_budget_authority(actor, department):
    """D1: a department's budget lines are kept by its own 财政局 (the district's for a district
    department) or by the city 财政局; another district's finance has no say over them."""
    if actor.is_superuser:
        return
    roles = (Role.STAFF, Role.REVIEWER, Role.HEAD)
    mine = rights.department_ids(actor, roles)
    city_fin = set(Department.objects.filter(kind=Department.Kind.FIN, level=Department.Level.CITY).values_list("pk", flat=True))
    if finance_for(department).pk not in mine and not (mine & city_fin):
        raise NotAllowed(_("Only the finance bureau at the level of %(dept)s or the city finance bureau may keep its budget lines.") % {"dept": department.name})


def catalogue_item_create(*, actor, code, name, category, service_standard, unit, year, published=False) -> CatalogueItem:
    check_catalogue_authority(actor)
    item = CatalogueItem(code=code, name=name, category=category, service_standard=service_standard,
                         unit=unit, year=year, published=published)
    item.full_clean(validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        _save_unique(item, "catalogue_item_exists", _("A catalogue item with this code already exists for the year."))
        audit_record(actor=actor, action="procurement.catalogue.create", obj=item,
                     after={"code": code, "year": year, "published": published})
    return item


def catalogue_item_publish(*, actor, item_id, published=True) -> CatalogueItem:
    check_catalogue_authority(actor)
    with transaction.atomic():
        try:
            item = CatalogueItem.objects.select_for_update().get(pk=item_id)
        except (CatalogueItem.DoesNotExist, ValueError, TypeError):
            raise NotFound(_("No such catalogue item.")) from None
        before = item.published
        item.published = published
        item.save(update_fields=["published"])
        audit_record(actor=actor, action="procurement.catalogue.publish", obj=item,
                     before={"published": before}, after={"published": published})
    return item


def budget_line_create(*, actor, department, year, item, amount) -> BudgetLine:
    _check(actor)
    check_budget_authority(actor, department)
    if item.year != int(year):
        raise RuleViolation(_("The budget year must match the catalogue year."), fields={"year": [_("Different year.")]})
    line = BudgetLine(department=department, year=year, item=item, amount=money(amount))
    line.full_clean(validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        _save_unique(line, "budget_line_exists", _("The department already has a budget line for this catalogue item in this year."))
        audit_record(actor=actor, action="procurement.budget.create", obj=line,
                     after={"department": department.pk, "year": year, "item": item.pk, "amount": line.amount})
    return line
