"""Loading schedules into the calendar table (DOMAIN D2): the official years chinesecalendar
knows, a newly published year from a file, and provisional years from the statutory holidays.
A load replaces the year's official and provisional rows but keeps manual corrections."""
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, RuleViolation
from engine.cases.sla import recompute_provisional_due_times

from . import calendar, sources
from .models import CalendarDay, CalendarYear

Kind, Source, Status = CalendarDay.Kind, CalendarDay.Source, CalendarYear.Status


def load_year_schedule(year: int, holidays, workdays, source: str = "official", *, actor=None,
                       reason: str = "", origin: str = "", seeding: bool = False) -> dict:
    """Replace one year's schedule: holidays and workdays are (date or "YYYY-MM-DD", name) pairs.
    Marks the year, records the audit event, drops the calendar cache and, after commit for an
    official load, lets the SLA engine recompute due times that were provisional. With seeding
    (reference data on a fresh install) a year that had no schedule is written unaudited, like
    the other fixtures; replacing an existing year is always audited."""
    if source not in (Source.OFFICIAL, Source.PROVISIONAL):
        raise ValueError(f"source must be official or provisional, got {source!r}")
    rows = _validated_rows(year, holidays, workdays)
    result = {"year": year, "status": source, "holidays": 0, "workdays": 0, "recomputed": None}
    with transaction.atomic():
        entry, created = CalendarYear.objects.select_for_update().get_or_create(
            year=year, defaults={"status": source, "loaded_at": timezone.now(), "origin": origin})
        if source == Source.PROVISIONAL and entry.status == Status.OFFICIAL:
            raise ValueError(_("The official schedule of %(year)s is loaded; it cannot become provisional again.")
                             % {"year": year})
        in_year = CalendarDay.objects.filter(date__year=year)
        before = {"status": None if created else entry.status,
                  "days": in_year.exclude(source=Source.MANUAL).count()}
        manual = set(in_year.filter(source=Source.MANUAL).values_list("date", flat=True))
        in_year.exclude(source=Source.MANUAL).delete()
        created_rows = CalendarDay.objects.bulk_create([
            CalendarDay(date=d, kind=kind, name=name, source=source)
            for d, kind, name in rows if d not in manual])
        for row in created_rows:
            result[f"{row.kind}s"] += 1
        entry.status, entry.origin, entry.loaded_at = source, origin, timezone.now()
        entry.save()
        if not (seeding and created):
            after = {"status": source, "holidays": result["holidays"], "workdays": result["workdays"],
                     "manual_kept": len(manual), "origin": origin}
            audit_record(actor=actor, action="calendar.load", object_type="workdays.calendaryear",
                         object_id=year, before=before, after=after, reason=reason)
        calendar.invalidate()
        if source == Source.OFFICIAL:
            transaction.on_commit(lambda: result.update(recomputed=_recompute(year)))
    return result


def load_official_years(years=None, *, actor=None, reason: str = "", seeding: bool = False) -> dict:
    """Load chinesecalendar's official years (all, or the given ones), skipping each year whose
    official rows already match, so running it again writes nothing."""
    schedules = sources.library_schedules()
    wanted = sorted(schedules if years is None else set(years))
    unknown = [y for y in wanted if y not in schedules]
    if unknown:
        raise ValueError(_("%(library)s has no official schedule for these years: %(years)s; load a newly "
                           "published schedule with load_calendar --file.")
                         % {"library": sources.library_origin(), "years": unknown})
    stored = _stored_official(wanted)
    origin = sources.library_origin()
    loaded, unchanged = {}, []
    with transaction.atomic():
        for year in wanted:
            holidays, workdays = schedules[year]
            expected = ({d: (Kind.HOLIDAY, n) for d, n in holidays}
                        | {d: (Kind.WORKDAY, n) for d, n in workdays})
            current, manual = stored.get(year, (None, set()))
            if current == {d: v for d, v in expected.items() if d not in manual}:
                unchanged.append(year)
                continue
            loaded[year] = load_year_schedule(
                year, holidays, workdays, actor=actor, origin=origin, seeding=seeding,
                reason=reason or "载入 chinesecalendar 的国务院放假安排")
    # Each result's "recomputed" is filled in after commit, i.e. once the block above has exited.
    return {"loaded": list(loaded), "unchanged": unchanged,
            "recomputed": {year: result["recomputed"] for year, result in loaded.items()}}


def ensure_provisional_years(years, *, actor=None, reason: str = "", seeding: bool = False) -> list[int]:
    """Store provisional days off (statutory holidays) for each year that has no schedule yet, so
    the administrator can see and correct them; returns the years written."""
    years, written = set(years), []
    existing = set(CalendarYear.objects.filter(year__in=years).values_list("year", flat=True))
    for year in sorted(years - existing):
        load_year_schedule(year, sources.statutory_holidays(year), [], Source.PROVISIONAL, actor=actor,
                           reason=reason or "国务院尚未发布该年放假安排，按法定节假日暂定",
                           origin=sources.statutory_origin(), seeding=seeding)
        written.append(year)
    return written


def seed_calendar(*, actor=None, reason: str = "", seeding: bool = False) -> dict:
    """Official years from the library, then provisional ones up to next year (what setup_demo
    and `load_calendar` without options do)."""
    summary = load_official_years(actor=actor, reason=reason, seeding=seeding)
    last_official = max(sources.library_schedules())
    horizon = max(timezone.localdate().year + 1, last_official + 1)
    summary["provisional"] = ensure_provisional_years(range(last_official + 1, horizon + 1), actor=actor,
                                                      seeding=seeding)
    return summary


def _stored_official(years) -> dict[int, tuple[dict, set]]:
    """Per official year: its official rows as {date: (kind, name)} and its manual dates."""
    official = CalendarYear.objects.filter(year__in=years, status=Status.OFFICIAL)
    stored = {year: ({}, set()) for year in official.values_list("year", flat=True)}
    rows = CalendarDay.objects.filter(date__year__gte=min(years, default=0),
                                      date__year__lte=max(years, default=0))
    for d, kind, name, source in rows.values_list("date", "kind", "name", "source"):
        if d.year not in stored:
            continue
        if source == Source.MANUAL:
            stored[d.year][1].add(d)
        elif source == Source.OFFICIAL:
            stored[d.year][0][d] = (kind, name)
    return stored


def _validated_rows(year, holidays, workdays) -> list[tuple[date, str, str]]:
    rows, seen = [], set()
    for kind, entries in ((Kind.HOLIDAY, holidays), (Kind.WORKDAY, workdays)):
        for value, name in entries:
            day = _as_date(value)
            if day.year != year:
                raise ValueError(_("%(day)s is not in %(year)s.") % {"day": day, "year": year})
            if day in seen:
                raise ValueError(_("%(day)s appears twice.") % {"day": day})
            if kind == Kind.WORKDAY and day.weekday() < 5:
                # Only a weekend day can be "made" a working day; a weekday here is a typo.
                raise ValueError(_("%(day)s is a weekday (Monday to Friday) and cannot be a make-up working day.")
                                 % {"day": day})
            seen.add(day)
            rows.append((day, kind, (name or "")[:50]))
    return rows


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return calendar.local_date(value)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(_("Dates are written YYYY-MM-DD: %(value)r") % {"value": value}) from None


def _recompute(year):
    """Let the SLA engine recompute the due times that were provisional for this year."""
    return recompute_provisional_due_times(year)


def _day_state(day) -> dict:
    return {"date": day.date, "kind": day.kind, "name": day.name, "source": day.source}


def _check_calendar_right(actor, verb):
    if not (actor.is_superuser or actor.has_perm(f"workdays.{verb}_calendarday")):
        raise NotAllowed(_("You do not have the right to correct the working-day calendar."))


@transaction.atomic
def calendar_day_correct(*, actor, day: CalendarDay, reason: str = "") -> CalendarDay:
    """The administrator adds or corrects one day (D2). It becomes a manual row, which later
    loads keep; audited with before and after (D4); every process sees it (``calendar``)."""
    current = CalendarDay.objects.select_for_update().filter(pk=day.pk).first() if day.pk else None
    _check_calendar_right(actor, "change" if current is not None else "add")
    day.source = Source.MANUAL
    try:
        day.full_clean()
    except ValidationError as exc:
        raise RuleViolation(_("The submitted data is invalid."), fields=exc.message_dict) from None
    before = _day_state(current) if current is not None else {}
    day.save()
    calendar.invalidate()
    audit_record(actor=actor, action="calendar.correct", obj=day, before=before, after=_day_state(day),
                 reason=reason or _("Administrator corrected the working-day calendar"))
    return day


@transaction.atomic
def calendar_day_remove(*, actor, day: CalendarDay, reason: str = "") -> None:
    """Remove a manual correction (a loaded row would come back at the next load, so only
    manual rows are removed); audited (D4)."""
    current = CalendarDay.objects.select_for_update().filter(pk=day.pk).first()
    if current is None:
        return
    _check_calendar_right(actor, "delete")
    if current.source != Source.MANUAL:
        raise RuleViolation(_("Only manually corrected days can be deleted; correct a loaded day manually instead."))
    audit_record(actor=actor, action="calendar.correct", obj=current, before=_day_state(current), after={},
                 reason=reason or _("Administrator removed a manual correction"))
    current.delete()
    calendar.invalidate()
