"""Money and Asia/Shanghai dates read the same way in both languages (D7)."""
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from engine.formatting import local_date, local_datetime, money


@pytest.mark.parametrize("value, shown", [
    (1234567, "¥1,234,567.00"),
    (Decimal("1234567.5"), "¥1,234,567.50"),
    ("0.005", "¥0.01"),  # halves round away from zero
    (Decimal("-5.5"), "-¥5.50"),
    (0, "¥0.00"),
    (12.1, "¥12.10"),
    (None, ""),
    ("", ""),
    ("not money", ""),
    (Decimal("NaN"), ""),
])
def test_money_always_has_the_yuan_sign_separators_and_two_decimals(value, shown):
    assert money(value) == shown


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_money_is_the_same_in_both_languages_in_a_template(language):
    with translation.override(language):
        rendered = Template("{% load formatting %}{{ amount|money }}").render(Context({"amount": Decimal("9876543.2")}))
    assert rendered == "¥9,876,543.20"


def test_times_are_shown_in_shanghai_in_the_chosen_language():
    moment = datetime(2026, 3, 5, 23, 30, tzinfo=UTC)  # 07:30 the next day in Shanghai
    with translation.override("zh-hans"):
        assert local_datetime(moment) == "2026年3月6日 07:30"
        assert local_date(moment) == "2026年3月6日"
    with translation.override("en"):
        assert local_datetime(moment) == "March 6, 2026, 7:30 a.m."
        assert local_date(date(2026, 3, 5)) == "March 5, 2026"
    assert local_datetime("yesterday") == "" and local_date(None) == ""
