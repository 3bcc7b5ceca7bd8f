from datetime import date, datetime, timedelta, timezone

import chinese_calendar
import holidays
import pytest
from django.db import transaction

from engine.workdays import calendar
from engine.workdays.calendar import (
    add_days,
    add_working_days,
    is_provisional,
    is_working_day,
    working_days_between,
)
from engine.workdays.models import CalendarDay
from engine.workdays.services import load_year_schedule
from engine.workdays.sources import statutory_holidays

pytestmark = pytest.mark.django_db


def test_national_day_2026_is_off_and_official():
    for offset in range(7):
        day = date(2026, 10, 1) + timedelta(days=offset)
        assert not is_working_day(day)
        assert not is_provisional(day)
    assert is_working_day(date(2026, 10, 8))


def test_swap_weekends_2026_are_working_days_as_the_library_says():
    for day in (date(2026, 9, 20), date(2026, 10, 10)):
        assert day.weekday() >= 5
        assert chinese_calendar.is_workday(day)
        assert is_working_day(day)


def test_plain_week():
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert is_working_day(date(2026, 11, 30))  # Monday
    assert is_working_day(datetime(2026, 11, 29, 17, tzinfo=timezone.utc))  # Monday 01:00 in Zhengzhou


def test_due_time_across_national_day_and_swap_saturday(shanghai):
    due, provisional = add_working_days(datetime(2026, 9, 28, 9, tzinfo=shanghai), 5)
    # 9-29, 9-30, (10-1..10-7 off), 10-8, 10-9, 10-10 (swap Saturday)
    assert due == datetime(2026, 10, 10, 18, tzinfo=shanghai)
    assert provisional is False


def test_due_time_into_2027_is_provisional(shanghai):
    due, provisional = add_working_days(datetime(2026, 12, 28, 10, tzinfo=shanghai), 5)
    # 12-29, 12-30, 12-31, (1-1 元旦 and the weekend), 1-4, 1-5
    assert due == datetime(2027, 1, 5, 18, tzinfo=shanghai)
    assert provisional is True


def test_start_is_read_in_zhengzhou_time_and_end_hour_is_honoured(shanghai):
    start = datetime(2026, 9, 29, 20, tzinfo=timezone.utc)  # 9-30 04:00 in Zhengzhou
    due, _ = add_working_days(start, 1, end_hour=17)
    assert due == datetime(2026, 10, 8, 17, tzinfo=shanghai)
    with pytest.raises(ValueError):
        add_working_days(start, 1, end_hour=24)
    with pytest.raises(ValueError):
        add_working_days(start, -1)


def test_zero_days_is_today_or_the_next_working_day(shanghai):
    friday, holiday = datetime(2026, 10, 9, 8, tzinfo=shanghai), datetime(2026, 10, 3, 8, tzinfo=shanghai)
    assert add_working_days(friday, 0) == (datetime(2026, 10, 9, 18, tzinfo=shanghai), False)
    assert add_working_days(holiday, 0)[0] == datetime(2026, 10, 8, 18, tzinfo=shanghai)


def test_working_days_between_inverts_add_working_days(shanghai):
    start = datetime(2026, 9, 15, 12, tzinfo=shanghai)
    for n in range(0, 40, 3):
        due, _ = add_working_days(start, n)
        if n:
            assert working_days_between(start.date(), due.date()) == n
    assert working_days_between(date(2026, 9, 28), date(2026, 10, 10)) == 5
    assert working_days_between(date(2026, 10, 10), date(2026, 9, 28)) == -5


def test_add_days_counts_calendar_or_working_days(shanghai):
    start = datetime(2026, 9, 28, 9, tzinfo=shanghai)
    assert add_days(start, 15, working=False) == (datetime(2026, 10, 13, 18, tzinfo=shanghai), False)
    assert add_days(start, 5, working=True) == add_working_days(start, 5)


def test_lunar_holidays_2027_are_computed():
    computed = dict(statutory_holidays(2027))
    package = holidays.China(years=2027, observed=False)
    spring = [d for d, name in computed.items() if name in ("农历除夕", "春节")]
    assert spring == [date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8)]
    assert date(2027, 2, 6) in package and "Spring Festival" in package[date(2027, 2, 6)]
    assert computed[date(2027, 4, 5)] == "清明节"
    assert computed[date(2027, 6, 9)] == "端午节"
    assert computed[date(2027, 9, 15)] == "中秋节"
    assert [d for d, name in computed.items() if name == "国庆节"] == [date(2027, 10, d) for d in (1, 2, 3)]
    assert [d for d, name in computed.items() if name == "劳动节"] == [date(2027, 5, 1), date(2027, 5, 2)]
    assert len(computed) == 13  # 1 + 4 + 1 + 2 + 1 + 1 + 3, no swap days


def test_2027_days_off_are_provisional_rows():
    rows = CalendarDay.objects.filter(date__year=2027)
    assert rows.count() == 13 and set(rows.values_list("source", flat=True)) == {"provisional"}
    assert not is_working_day(date(2027, 2, 8))  # 初三, a Monday
    assert is_working_day(date(2027, 2, 9))
    assert is_provisional(date(2027, 2, 9))


def test_year_without_rows_is_computed_in_memory():
    assert not CalendarDay.objects.filter(date__year=2030).exists()
    assert not is_working_day(date(2030, 2, 4))  # 正月初二 2030
    assert is_working_day(date(2030, 2, 6))
    assert is_provisional(date(2030, 2, 6))


def test_snapshot_is_cached_until_invalidated():
    day = date(2026, 11, 30)
    assert is_working_day(day)
    CalendarDay.objects.bulk_create([CalendarDay(date=day, kind="holiday", name="测试")])  # no signal
    assert is_working_day(day)
    calendar.invalidate()
    assert not is_working_day(day)


def _as_another_process_would(change):
    """Run ``change`` (a calendar write through its service) as if in another process: this
    process keeps the snapshot it had; only what the other process commits is shared."""
    kept = calendar._snapshot
    change()
    calendar._snapshot = kept


def test_another_process_correcting_the_calendar_is_noticed_without_a_shared_cache(settings):
    """D2 in the default set-up (SQLite, several processes, a per-process memory cache): the
    version lives in the database, so a cache that is not shared (here: none at all) does not
    hide the change."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.WORKDAYS_RECHECK_SECONDS = 0
    day = date(2026, 12, 1)
    assert is_working_day(day)

    def correct():
        with transaction.atomic():
            CalendarDay.objects.create(date=day, kind="holiday", name="临时放假")  # the admin's save

    _as_another_process_would(correct)
    assert calendar._snapshot is not None and calendar._snapshot.days.get(day) is None  # still the old one
    assert not is_working_day(day)


def test_another_process_loading_a_year_is_noticed(settings):
    settings.WORKDAYS_RECHECK_SECONDS = 0
    assert is_provisional(date(2031, 3, 2))
    _as_another_process_would(lambda: load_year_schedule(2031, [(date(2031, 3, 3), "测试假日")], []))
    assert not is_provisional(date(2031, 3, 2)) and not is_working_day(date(2031, 3, 3))


def test_within_the_recheck_interval_no_query_and_the_old_snapshot(settings, django_assert_num_queries):
    settings.WORKDAYS_RECHECK_SECONDS = 3600
    day = date(2026, 12, 2)
    assert is_working_day(day)
    _as_another_process_would(lambda: CalendarDay.objects.create(date=day, kind="holiday", name="测试"))
    with django_assert_num_queries(0):
        assert is_working_day(day)  # not yet rechecked: the cheap path costs nothing
    calendar.invalidate()  # this process's own change is seen at once
    assert not is_working_day(day)


def test_reads_cost_no_query_once_cached(django_assert_num_queries, shanghai):
    is_working_day(date(2026, 1, 1))
    with django_assert_num_queries(0):
        add_working_days(datetime(2026, 1, 5, tzinfo=shanghai), 200)
