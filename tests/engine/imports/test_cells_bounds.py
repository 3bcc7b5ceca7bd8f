"""Numbers and dates from cells are parsed with bounds (issue #16)."""
import datetime
from decimal import Decimal

import pytest

from engine.imports.widgets import WholeNumberWidget, parse_date, parse_decimal


@pytest.mark.parametrize("text", ["1e1000000", "NaN", "nan", "Infinity", "-inf", "1" * 41, "1e5000", "0x10",
                                  "1_000", "１２", "", "1e20"])
def test_numbers_out_of_bounds_or_not_numbers_are_refused(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


@pytest.mark.parametrize("text, number", [("12.50", Decimal("12.50")), ("1,234.5", Decimal("1234.5")),
                                          ("-3", Decimal(-3)), ("2.5e2", Decimal(250)), (float("7.25"), Decimal("7.25"))])
def test_ordinary_numbers_are_read_exactly(text, number):
    assert parse_decimal(text) == number


def test_whole_numbers_refuse_huge_exponents_and_fractions():
    widget = WholeNumberWidget()
    assert widget.clean("30") == 30
    for text in ("1e1000000", "1.5", "Infinity", "1e19"):
        with pytest.raises(ValueError):
            widget.clean(text)


@pytest.mark.parametrize("value, day", [("2026-03-01", datetime.date(2026, 3, 1)), ("2026年3月1日", datetime.date(2026, 3, 1)),
                                        (datetime.datetime(2026, 3, 1, 8, 0), datetime.date(2026, 3, 1)),
                                        ("20260301", datetime.date(2026, 3, 1))])
def test_dates_in_range_are_read(value, day):
    assert parse_date(value) == day


@pytest.mark.parametrize("value", ["1899-12-31", "2101-01-01", datetime.date(1, 1, 1), "9999-12-31", "明天", "2026-02-30"])
def test_dates_out_of_range_or_unreadable_are_refused(value):
    with pytest.raises(ValueError):
        parse_date(value)
