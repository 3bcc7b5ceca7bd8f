"""Bounded input of the certification services (issue #16): hours as sane Decimals and free
text with a length limit, days in a sane range, so bad input is a 400 naming the field, never
a 500."""
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from engine.cases.errors import RuleViolation

MAX_HOURS = Decimal("99999.99")  # what the hours columns hold (7 digits, 2 decimals)


def parse_hours(value, field="hours") -> Decimal:
    """Hours as a positive Decimal with 2 places. "NaN", "Infinity", huge exponents and values
    beyond what the column holds are a 400, never a 500 (issue #16)."""
    try:
        hours = Decimal(str(value).strip())
        if not hours.is_finite() or abs(hours.adjusted()) > 6:
            raise InvalidOperation
        hours = hours.quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise RuleViolation(_("Service hours must be a number."), fields={field: [_("Enter a number.")]}) from None
    if hours <= 0:
        raise RuleViolation(_("Service hours must be greater than 0."), fields={field: [_("Must be greater than 0.")]})
    if hours > MAX_HOURS:
        raise RuleViolation(_("Service hours out of range."), fields={field: [_("The number is too large.")]})
    return hours


REASON_MAX_LENGTH = 500  # review, refusal, deletion and revocation reasons (their columns)
TEXT_MAX_LENGTH = 2000  # a dispute's claim, an appeal, a report's description


def bounded_text(value, field, limit=REASON_MAX_LENGTH) -> str:
    """Free text with a length limit: too long is a 400 naming the field, not a database
    error (issue #16)."""
    text = (value or "").replace("\x00", "")
    if len(text) > limit:
        raise RuleViolation(_("The text is too long: at most %(n)s characters.") % {"n": limit},
                            fields={field: [_("At most %(n)s characters.") % {"n": limit}]})
    return text


# the days a policy's cover may start and end on: a mistyped year is refused now, since a recorded
# policy is never corrected (PR2)
DATE_MIN, DATE_MAX = date(2000, 1, 1), date(2099, 12, 31)


def bounded_day(day, field, label) -> date:
    """``day`` if it falls between ``DATE_MIN`` and ``DATE_MAX``, else a refusal naming ``label``."""
    if not DATE_MIN <= day <= DATE_MAX:
        message = _("The date for %(field)s must be between %(min)s and %(max)s.") % {
            "field": label, "min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}
        raise RuleViolation(message, fields={field: [message]})
    return day
