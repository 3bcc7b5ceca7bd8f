"""Cell converters that speak the user's language: codes for related rows, Chinese labels for
choices, 是/否 for booleans, and messages in the user's language when a cell cannot be read. Numbers and dates
are parsed with bounds (issue #16): no NaN or Infinity, no exponent that would make a huge
number, dates between 1900 and 2100."""
import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import widgets

MAX_NUMBER_CHARS = 40
NUMBER_PATTERN = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$")
DATE_RANGE = (datetime.date(1900, 1, 1), datetime.date(2100, 12, 31))
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def parse_decimal(value, *, max_abs=Decimal(10) ** 15) -> Decimal:
    """A Decimal from a cell, checked on the text before converting: at most 40 characters,
    plain digits with an optional exponent of up to three digits (so ``1e1000000``, NaN and
    Infinity never become numbers), and a magnitude below ``max_abs``."""
    text = force_str(value).strip().replace(",", "")
    if len(text) > MAX_NUMBER_CHARS or not NUMBER_PATTERN.match(text):
        raise ValueError(_("“%(value)s” is not a valid number.") % {"value": force_str(value)[:MAX_NUMBER_CHARS]})
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a valid number.") % {"value": text}) from None
    if not number.is_finite() or abs(number) >= max_abs:
        raise ValueError(_("“%(value)s” is out of the allowed range.") % {"value": text})
    return number


def parse_date(value) -> datetime.date:
    """A date from a cell (a spreadsheet date, or text such as 2026-03-01 or 2026年3月1日),
    between 1900 and 2100."""
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        text, day = force_str(value).strip()[:20], None
        for fmt in DATE_FORMATS:
            try:
                day = datetime.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        if day is None:
            raise ValueError(_("“%(value)s” is not a valid date; please write it as “2026-03-01”.") % {"value": text})
    if not DATE_RANGE[0] <= day <= DATE_RANGE[1]:
        raise ValueError(_("The date “%(value)s” is outside the years 1900 to 2100.") % {"value": day.isoformat()})
    return day


class CodeForeignKeyWidget(widgets.ForeignKeyWidget):
    """A related row named by a stable code; an unknown code is a row error, not a crash.
    Found rows are remembered for one import (``clear_cache`` at its start), so a file naming
    the same organization on every row asks the database once; misses are not remembered, as
    a later row may refer to one created earlier in the same file."""

    CACHE_LIMIT = 2_000

    def __init__(self, model, field="code", mask=None, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self._cache = {}
        self.mask = mask  # D6: a key that is personal data (an ID number) shows masked in errors

    def clear_cache(self):
        self._cache = {}

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        value = force_str(value).strip()
        if value in self._cache:
            return self._cache[value]
        try:
            found = super().clean(value, row, **kwargs)
        except (ValueError, TypeError):  # e.g. text given for a numeric key
            found = None
        except self.model.DoesNotExist:
            found = None
        if found is None:
            raise ValueError(
                _("No %(model)s with the code “%(code)s”.")
                % {"code": self.mask(value) if self.mask else value, "model": self.model._meta.verbose_name}
            )
        if len(self._cache) < self.CACHE_LIMIT:
            self._cache[value] = found
        return found


class ChoiceWidget(widgets.Widget):
    """A choice given as its stored value or its display label; exported as the label."""

    def __init__(self, choices, **kwargs):
        self.choices = [(str(value), str(label)) for value, label in choices]
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        text = force_str(value).strip()
        for stored, label in self.choices:
            if text in (stored, label) or text.lower() == stored.lower():
                return stored
        raise ValueError(
            _("“%(value)s” is not a valid choice; choose one of: %(options)s.")
            % {"value": text, "options": _(", ").join(label for _v, label in self.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(str(value), "" if value is None else str(value))


class YesNoWidget(widgets.Widget):
    """是/否 (and the usual spellings of yes and no); a blank cell means "not given"."""

    TRUE = {"是", "y", "yes", "true", "1", "√", "✓"}
    FALSE = {"否", "n", "no", "false", "0", "×", "✗"}

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        text = force_str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("“%(value)s” is not recognized; please write “是” (yes) or “否” (no).") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else ("是" if value else "否")


class WholeNumberWidget(widgets.IntegerWidget):
    """An integer; 1.5 or 二十 is refused with a message rather than truncated or crashing."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            number = parse_decimal(value, max_abs=Decimal(10) ** 18)  # beyond any count we keep
        except ValueError:
            number = None
        if number is None or number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": force_str(value)[:MAX_NUMBER_CHARS]})
        return int(number)


class BoundedDecimalWidget(widgets.DecimalWidget):
    """A decimal (hours, money) parsed by :func:`parse_decimal`, never from a float."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        return parse_decimal(value)


class BoundedDateWidget(widgets.DateWidget):
    """A date parsed by :func:`parse_date` (1900–2100)."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        return parse_date(value)
