"""The 2025 goal (DOMAIN "The 2025 goal"; seed 一(三)): registered volunteers per district
against ``VOLUNTEER_TARGET_SHARE`` of its resident population, the city total, the monthly
progress and the projection to ``VOLUNTEER_TARGET_DATE``.

Registered volunteers come from the ``volunteers`` snapshot (registrations per district and
month of consent, one row "before" for all earlier ones), the population from the latest
``DistrictPopulation`` of each district, else the district's own reference figure."""
import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from engine.directory.models import District

from .charts import INT, PERCENT, TEXT, Chart, Column, percent
from .models import DistrictPopulation

BEFORE = "before"


def target_share() -> Decimal:
    return Decimal(str(settings.VOLUNTEER_TARGET_SHARE))


def target_for(population: int) -> int:
    """The goal for a population: its share, rounded to a whole person."""
    return int((Decimal(population) * target_share()).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass
class Population:
    """A district's resident population as the dashboard uses it, with where it comes from."""

    district: District
    population: int
    year: int | None  # the source year; None for the district's own reference figure
    source: str
    estimate: bool

    def source_label(self) -> str:
        """Where the figure comes from, as the page, the export and the PDF say it: an estimate
        is called one (it is not an official statistic)."""
        if self.year is None:
            return str(_("Estimate: the district's reference figure, no source year"))
        if self.estimate:
            return str(_("Estimate: %(source)s") % {"source": self.source or _("no source given")})
        return self.source


def populations(scope) -> list[Population]:
    """The population of each district in scope, in two queries: its latest ``DistrictPopulation``
    (DOMAIN "The 2025 goal": a fixture the administrator updates), else the district's own
    reference figure, which is an estimate without a source year."""
    districts = District.objects.order_by("sort_order", "code")
    if scope.districts() is not None:
        districts = districts.filter(pk__in=scope.districts())
    districts = list(districts)
    latest = {}
    for p in DistrictPopulation.objects.filter(district__in=[d.pk for d in districts]).order_by("district_id", "-year"):
        latest.setdefault(p.district_id, p)
    return [Population(d, latest[d.pk].population, latest[d.pk].year, latest[d.pk].source, latest[d.pk].is_estimate)
            if d.pk in latest else Population(d, d.resident_population, None, "", True) for d in districts]


def registered_by_district(snapshot, last_month: str) -> dict:
    """Registered volunteers per district id up to the end of ``last_month`` ("YYYY-MM")."""
    counts = {}
    for r in snapshot.data:
        if r["month"] == BEFORE or r["month"] <= last_month:
            counts[r["district_id"]] = counts.get(r["district_id"], 0) + r["count"]
    return counts


@dataclass
class Projection:
    """Straight-line projection: the pace is the registrations of the months elapsed in the
    year divided by their number; from the last month's total at that pace."""

    pace: Decimal  # registrations per month
    at_target_date: int | None  # projected total at the target date, when it is still ahead
    reach_month: str | None  # the month the goal is reached at this pace ("YYYY-MM"), None if never
    reached: bool


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def project(registered: int, target: int, new_in_period: int, months_elapsed: int, as_of: date,
            target_date: date) -> Projection:
    pace = (Decimal(new_in_period) / months_elapsed).quantize(Decimal("0.01")) if months_elapsed else Decimal("0")
    ahead = months_between(as_of, target_date)
    at_target = int(registered + pace * ahead) if ahead > 0 else None
    if registered >= target:
        return Projection(pace, at_target, as_of.strftime("%Y-%m"), True)
    if pace <= 0:
        return Projection(pace, at_target, None, False)
    months = math.ceil((target - registered) / pace)
    total = as_of.year * 12 + as_of.month - 1 + months
    return Projection(pace, at_target, f"{total // 12:04d}-{total % 12 + 1:02d}", False)


def target_date() -> date:
    return date.fromisoformat(settings.VOLUNTEER_TARGET_DATE)


def charts(scope, found: dict, today: date) -> list[Chart]:
    if scope.is_organization:
        return []
    snapshot = found["volunteers"]
    months = [m.strftime("%Y-%m") for m in scope.months()]
    last = min(months[-1], today.strftime("%Y-%m"))
    shown = [m for m in months if m <= last]
    places = populations(scope)
    registered = registered_by_district(snapshot, last)
    share = int(target_share() * 100)
    by_district = Chart(
        "goal_districts", "goal", _("Registered volunteers against %(share)s%% of residents, by district") % {"share": share},
        [Column(pgettext_lazy("dashboard", "District"), TEXT), Column(_("Resident population"), INT, plotted=False),
         Column(_("Source year"), TEXT, plotted=False), Column(_("Goal"), INT, plotted=False),
         Column(_("Registered volunteers"), INT, plotted=False), Column(_("Progress"), PERCENT),
         Column(_("Source of the population figure"), TEXT, plotted=False)],
        [[p.district.name, p.population, str(p.year or ""), target_for(p.population), registered.get(p.district.pk, 0),
          percent(registered.get(p.district.pk, 0), target_for(p.population)), p.source_label()] for p in places],
        note=_("Resident population: the latest figure of each district kept by the administrator, with its source "
               "and year. Figures marked as estimates are approximate, not official statistics, until the "
               "statistical bulletin's figure replaces them."),
    )
    total_target = sum(target_for(p.population) for p in places)
    total = sum(registered.get(p.district.pk, 0) for p in places)
    ids = {p.district.pk for p in places}
    cumulative, running = [], sum(r["count"] for r in snapshot.data if r["district_id"] in ids
                                  and (r["month"] == BEFORE or r["month"] < months[0]))
    for m in shown:
        running += sum(r["count"] for r in snapshot.data if r["district_id"] in ids and r["month"] == m)
        cumulative.append([m, running, total_target])
    new = sum(r["count"] for r in snapshot.data if r["district_id"] in ids and r["month"] != BEFORE
              and f"{scope.year}-01" <= r["month"] <= last)
    as_of = date(int(last[:4]), int(last[5:]), 1)
    elapsed = max(0, months_between(date(scope.year, 1, 1), as_of) + 1)
    projection = project(total, total_target, new, elapsed, as_of, target_date())
    city = Chart(
        "goal_city", "goal", _("City total"),
        [Column(_("Area"), TEXT), Column(_("Goal")), Column(_("Registered volunteers")),
         Column(_("Progress"), PERCENT, plotted=False)],
        [[_("Districts shown") if scope.districts() is not None else _("Whole city"), total_target, total,
          percent(total, total_target)]],
        kind="gauge",
        extra={"projection": projection, "target_date": target_date(), "share": share,
               "estimates": sum(1 for p in places if p.estimate)},
    )
    progress = Chart(
        "goal_months", "goal", _("Registered volunteers at the end of each month"),
        [Column(_("Month"), TEXT), Column(_("Registered volunteers")), Column(_("Goal"))], cumulative, kind="line",
        note=_("Projection: the average number of registrations per month in the year so far, continued in a "
               "straight line from the latest month."),
        as_of=snapshot.computed_at, snapshot=True,
    )
    by_district.as_of = city.as_of = snapshot.computed_at
    by_district.snapshot = city.snapshot = True
    return [city, by_district, progress]
