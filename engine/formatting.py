"""Money, dates and times as users read them, in either language (D7): money always with the
yuan sign, thousands separators and both decimals (``¥1,234,567.00``, the same in Chinese and
English); dates and times always in Asia/Shanghai, in the active language's format.

Templates load them with ``{% load formatting %}``: ``{{ amount|money }}``,
``{{ when|local_datetime }}``, ``{{ day|local_date }}``."""
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.formats import date_format

SHANGHAI = ZoneInfo("Asia/Shanghai")
CENT = Decimal("0.01")

register = template.Library()


@register.filter
def money(value) -> str:
    """``1234567`` → ``¥1,234,567.00``; ``-5.5`` → ``-¥5.50``; empty for None or a non-number.
    Halves round away from zero, as on an invoice."""
    if value is None or value == "" or isinstance(value, bool):
        return ""
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return ""
    if not amount.is_finite():
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


@register.filter
def local_datetime(value) -> str:
    """A moment in Asia/Shanghai, in the active language's format (``2026年3月5日 14:30`` /
    ``March 5, 2026, 2:30 p.m.``). A naive datetime is taken as Shanghai time already."""
    if not isinstance(value, datetime):
        return ""
    if timezone.is_aware(value):
        value = value.astimezone(SHANGHAI)
    return date_format(value, "DATETIME_FORMAT")


@register.filter
def local_date(value) -> str:
    """A day in the active language's format (``2026年3月5日`` / ``March 5, 2026``); a moment
    counts in Asia/Shanghai, so 23:30 UTC is the next day."""
    if isinstance(value, datetime):
        value = value.astimezone(SHANGHAI).date() if timezone.is_aware(value) else value.date()
    if not isinstance(value, date):
        return ""
    return date_format(value, "DATE_FORMAT")
