"""Helpers shared by the procurement services: rights, money, budget-line locking."""
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db.models import F
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from engine.cases.errors import NotAllowed, NotFound, RuleViolation
from engine.directory import rights
from engine.directory.models import Organization, Role
from engine.workdays.calendar import local_date

from ..flows import finance_for
from ..models import BudgetLine, Tender

CENT = Decimal("0.01")


# D5: the money columns hold 14 digits with 2 places; anything larger cannot be stored.
MONEY_LIMIT = Decimal("1000000000000")


def number(value, field, places=2) -> Decimal:
    """A finite decimal with at most ``places`` places (weights, scores; not money), never NaN or
    infinity, so bad input is a clear 400 and not an error deep inside a comparison. A JSON
    number such as 35.5 is read through its shortest text, which is exact at two places."""
    if isinstance(value, bool) or value is None:
        raise RuleViolation(_("The number is not valid."), fields={field: [_("Invalid format.")]})
    try:
        result = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        raise RuleViolation(_("The number is not valid."), fields={field: [_("Invalid format.")]}) from None
    step = Decimal(1).scaleb(-places)
    if not result.is_finite() or abs(result) >= MONEY_LIMIT or result != result.quantize(step):
        raise RuleViolation(
            _("The number must be finite, with at most %(n)s decimal places.") % {"n": places}, fields={field: [_("Invalid format.")]}
        )
    return result.quantize(step)


def money(value, field="amount") -> Decimal:
    """A positive CNY amount with two places that fits the money columns (D5); floats are
    refused so nothing is rounded silently."""
    if isinstance(value, float):
        raise RuleViolation(_("Amounts must be a string or an integer, not a floating-point number."), fields={field: [_("Invalid format.")]})
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        raise RuleViolation(_("The amount is not valid."), fields={field: [_("Invalid format.")]}) from None
    if not amount.is_finite() or amount <= 0 or amount >= MONEY_LIMIT or amount != amount.quantize(CENT):
        raise RuleViolation(
            _("The amount must be positive, with at most two decimal places, and under one trillion yuan."),
            fields={field: [_("The amount must be positive, with at most two decimal places, and under one trillion yuan.")]},
        )
    return amount.quantize(CENT)


# Dates a purchase of services can sensibly carry; year 0001 or 9999 is a typing error, and at
# the edges of the calendar time-zone arithmetic overflows.
DATE_MIN, DATE_MAX = date(2000, 1, 1), date(2099, 12, 31)
# Free text (contents, reasons, answers, statements): long enough for a page of Chinese text.
TEXT_LIMIT = 5000


def a_date(value, field) -> date:
    if isinstance(value, datetime):
        value = local_date(value)  # the day in Zhengzhou, not in UTC
    parsed = value if isinstance(value, date) else parse_date(str(value or ""))
    if parsed is None:
        raise RuleViolation(_("The date is not valid (YYYY-MM-DD)."), fields={field: [_("Invalid format.")]})
    return check_date_range(parsed, field)


def check_date_range(day, field):
    """A date or a moment between ``DATE_MIN`` and ``DATE_MAX`` (D5's sibling for dates)."""
    plain = day.date() if isinstance(day, datetime) else day
    if not (DATE_MIN <= plain <= DATE_MAX):
        raise RuleViolation(
            _("The date must be between %(min)s and %(max)s.") % {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()},
            fields={field: [_("Date out of range.")]},
        )
    return day


def text(value, field, *, label="", required=False, limit=TEXT_LIMIT) -> str:
    """Free text, stripped, at most ``limit`` characters; ``required`` refuses an empty one
    (``label`` names it in the message)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise RuleViolation(_("Invalid format."), fields={field: [_("Must be text.")]})
    value = value.strip()
    if required and not value:
        raise RuleViolation(_("Please fill in %(label)s.") % {"label": label or _("the required field")}, fields={field: [_("Required.")]})
    if len(value) > limit:
        raise RuleViolation(
            _("The text may not be longer than %(n)s characters.") % {"n": limit}, fields={field: [pgettext("procurement", "At most %(n)s characters.") % {"n": limit}]}
        )
    return value


def is_department_user(user, department_id, roles=(Role.STAFF, Role.REVIEWER, Role.HEAD)) -> bool:
    return user.is_superuser or rights.has_any_role(user, department_id, roles)


def check_not_party(user, tender: Tender):
    """D3: a party of the tender (a bidder's member, a recused expert) does no work on it, in
    queue steps (the engine checks) and in the actions beside them (cancel, complaints,
    milestones, payments, the evaluation)."""
    if tender.conflicts_with(user):
        raise NotAllowed(_("Conflict of interest: you are connected with a bidder of this tender and may not handle it."), code="conflict_of_interest")


def check_department(user, tender: Tender, roles=(Role.STAFF, Role.HEAD)):
    if not rights.has_any_role(user, tender.department_id, roles):
        raise NotAllowed(_("Only a clerk or the head of the purchasing department may do this."))
    check_not_party(user, tender)


def check_finance(user, tender: Tender):
    """A finance reviewer (or head) of the 财政局 responsible for the purchasing department."""
    if not rights.has_any_role(user, finance_for(tender.department).pk, (Role.REVIEWER, Role.HEAD)):
        raise NotAllowed(_("Only a finance bureau reviewer may do this."))
    check_not_party(user, tender)


def check_acts_for(user, organization: Organization):
    if not rights.acts_for(user, organization):
        raise NotAllowed(_("You are not a member of this organization."))


def eligibility_problem(organization: Organization) -> str:
    """P2: why an organization may not bid, or '' when it may. Graduation from incubation (I6)
    is not required: any lawfully established organization in good standing may bid."""
    if not organization.registered:
        return _("The organization is not yet registered.")
    if organization.status != Organization.Status.ACTIVE:
        return _("The organization has merged or been dissolved.")
    if not organization.good_standing:
        return _("The organization has a poor credit record.")
    if organization.fiscal_funded:
        return _("A mass organization funded by the state budget may not be a contractor.")
    return ""


def lock_tender(tender_id) -> Tender:
    try:
        return Tender.objects.select_for_update().get(pk=tender_id)
    except (Tender.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such tender.")) from None


def lock_line(line_id) -> BudgetLine:
    """Lock the budget line; always taken after the tender row (fixed lock order)."""
    return BudgetLine.objects.select_for_update().get(pk=line_id)


def line_move(line_id, *, committed=Decimal("0"), spent=Decimal("0")) -> BudgetLine:
    """Change a locked line's committed/spent by the given deltas (the DB check backs P1 up)."""
    line = lock_line(line_id)
    BudgetLine.objects.filter(pk=line.pk).update(committed=F("committed") + committed, spent=F("spent") + spent)
    line.refresh_from_db()
    return line


def release_commitment(tender: Tender) -> Decimal:
    """Give the tender's remaining commitment back to its budget line (cancel, unsuccessful, close)."""
    released = tender.committed_amount
    if released:
        line_move(tender.budget_line_id, committed=-released)
        tender.committed_amount = Decimal("0.00")
    return released
