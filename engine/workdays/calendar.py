"""Working-day arithmetic (DOMAIN D2). The functions read a per-process snapshot of the calendar
table, so they cost no query after the first call; `invalidate()` drops it when rows change and
bumps the version in the database (`CalendarStamp`, in the same transaction), which every
process (web workers, Celery worker and beat) compares at most every
``WORKDAYS_RECHECK_SECONDS`` (one primary-key read). The default set-up has no shared cache
server (the local-memory cache is per process), so the database is the one place all see.
A year without a `CalendarYear` row is computed from the statutory holidays in memory; any
year without an official schedule counts as provisional."""
import time as clock
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import CalendarDay, CalendarStamp, CalendarYear
from .sources import statutory_holidays

STAMP_ID = 1


def recheck_seconds() -> float:
    """How stale another process's calendar change may be seen here (setting, default 5 s)."""
    return float(getattr(settings, "WORKDAYS_RECHECK_SECONDS", 5))


@dataclass(frozen=True)
class _Snapshot:
    days: dict  # date → True (working) / False (day off), every CalendarDay row
    official: frozenset  # years whose official schedule is loaded
    stored: frozenset  # years with a CalendarYear row (their provisional days are rows too)
    version: object


_snapshot: _Snapshot | None = None
_checked_at = 0.0


def invalidate() -> None:
    """The calendar changed: bump the database version inside the caller's transaction (so
    other processes reload once it commits, and never before), and forget this process's
    snapshot now (this transaction sees its own change) and again after commit."""
    _bump_stamp()
    _forget()
    transaction.on_commit(_forget)


def _bump_stamp():
    now = timezone.now()
    if CalendarStamp.objects.filter(pk=STAMP_ID).update(version=F("version") + 1, changed_at=now):
        return
    try:
        with transaction.atomic():
            CalendarStamp.objects.create(pk=STAMP_ID, version=1, changed_at=now)
    except IntegrityError:  # created by a concurrent change: count ours on top
        CalendarStamp.objects.filter(pk=STAMP_ID).update(version=F("version") + 1, changed_at=now)


def _forget():
    """Drop this process's snapshot (it is read again at the next call)."""
    global _snapshot
    _snapshot = None


def _stored_version():
    return CalendarStamp.objects.filter(pk=STAMP_ID).values_list("version", flat=True).first()


def _current() -> _Snapshot:
    global _snapshot, _checked_at
    snapshot, now = _snapshot, clock.monotonic()
    if snapshot is not None and now - _checked_at < recheck_seconds():
        return snapshot
    version = _stored_version()  # read before the rows: a snapshot is never newer than its label
    if snapshot is None or snapshot.version != version:
        rows = CalendarDay.objects.values_list("date", "kind")
        days = {d: kind == CalendarDay.Kind.WORKDAY for d, kind in rows}
        years = dict(CalendarYear.objects.values_list("year", "status"))
        official = frozenset(y for y, status in years.items() if status == CalendarYear.Status.OFFICIAL)
        snapshot = _Snapshot(days, official, frozenset(years), version)
        _snapshot = snapshot
    _checked_at = now
    return snapshot


@lru_cache(maxsize=64)
def _computed_days_off(year: int) -> frozenset:
    return frozenset(day for day, _ in statutory_holidays(year))


def _working(snapshot: _Snapshot, day: date) -> bool:
    known = snapshot.days.get(day)
    if known is not None:
        return known
    if day.year not in snapshot.stored and day in _computed_days_off(day.year):
        return False
    return day.weekday() < 5


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_date(value) -> date:
    """The day ``value`` falls on in Zhengzhou: a moment counts in local time (23:30 UTC is the
    next day there), a date is itself."""
    if isinstance(value, datetime):
        return _local(value).date()
    return value


def _local(moment: datetime) -> datetime:
    # A naive datetime is taken as Zhengzhou local time, the only time the calendar knows.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=_zone())
    return moment.astimezone(_zone())


def _day_end(day: date, end_hour: int | None) -> datetime:
    hour = settings.WORKFLOW_DAY_END_HOUR if end_hour is None else end_hour
    if not 0 <= hour <= 23:
        raise ValueError(f"end_hour must be 0–23, got {hour}")
    return datetime.combine(day, time(hour), tzinfo=_zone())


def is_working_day(d: date) -> bool:
    """Whether people work on this day: table rows first, then computed holidays, then the week."""
    return _working(_current(), local_date(d))


def is_provisional(d: date) -> bool:
    """Whether the day's year has no official schedule loaded, so the answer may still change."""
    return local_date(d).year not in _current().official


def add_working_days(start: datetime, n: int, *, end_hour: int | None = None) -> tuple[datetime, bool]:
    """The end (settings.WORKFLOW_DAY_END_HOUR, Asia/Shanghai) of the n-th working day after
    start's local date, and whether any day walked over lies in a provisional year. With n=0
    it is the end of start's own day, or of the next working day if that one is off."""
    if n < 0:
        raise ValueError("n must not be negative")
    snapshot = _current()
    day = _local(start).date()
    provisional = False
    if n == 0:
        provisional = day.year not in snapshot.official
        while not _working(snapshot, day):
            day += timedelta(days=1)
            provisional = provisional or day.year not in snapshot.official
    remaining = n
    while remaining:
        day += timedelta(days=1)
        provisional = provisional or day.year not in snapshot.official
        if _working(snapshot, day):
            remaining -= 1
    return _day_end(day, end_hour), provisional


def working_days_between(a: date, b: date) -> int:
    """Working days d with a < d ≤ b (so add_working_days(a, n) lands on b when this is n);
    negative when b is before a."""
    a, b = local_date(a), local_date(b)
    if b < a:
        return -working_days_between(b, a)
    snapshot = _current()
    return sum(_working(snapshot, a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


def add_days(start: datetime, n: int, working: bool, *, end_hour: int | None = None) -> tuple[datetime, bool]:
    """For rules that may count either kind of day: working days as add_working_days, calendar
    days as the end of start's local date plus n (never provisional: weekdays are certain)."""
    if working:
        return add_working_days(start, n, end_hour=end_hour)
    if n < 0:
        raise ValueError("n must not be negative")
    return _day_end(_local(start).date() + timedelta(days=n), end_hour), False
