"""Certification's figures on the dashboard (issue #14 "Volunteers and organizations"):
registrations for the 2025 goal, hours served per month, star levels (R14), certificates
issued (R8), disputes opened and how and how fast they ended (R6).

Figures over every volunteer or service record (registrations, hours, stars, dispute times)
are computed by the periodic task (``snapshots``); counts of one period's certificates and
disputes are read live."""
from datetime import datetime
from statistics import median

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from engine.dashboard.charts import DAYS, HOURS, INT, TEXT, Chart, Column
from engine.dashboard.snapshots import p90
from engine.formatting import SHANGHAI

from .models import Activity, Certificate, Dispute, ServiceRecord, Volunteer
from .selectors import stars_for


def _bounds(year):
    return datetime(year, 1, 1, tzinfo=SHANGHAI), datetime(year + 1, 1, 1, tzinfo=SHANGHAI)


def _month(value) -> str:
    return value.astimezone(SHANGHAI).strftime("%Y-%m")


def snapshots(year) -> dict:
    start, end = _bounds(year)
    people = Volunteer.objects.filter(district__isnull=False)
    before = (people.filter(consent_at__lt=start).values("district_id")
              .annotate(n=Count("id_number", distinct=True)))  # a person once
    during = (people.filter(consent_at__gte=start, consent_at__lt=end)
              .annotate(month=TruncMonth("consent_at", tzinfo=SHANGHAI)).values("district_id", "month")
              .annotate(n=Count("id_number", distinct=True)))
    volunteers = ([{"district_id": r["district_id"], "month": "before", "count": r["n"]} for r in before]
                  + [{"district_id": r["district_id"], "month": _month(r["month"]), "count": r["n"]} for r in during])
    served = ServiceRecord.objects.counting().filter(activity__category=Activity.Category.SERVICE)
    hours = (served.filter(activity__start_at__gte=start, activity__start_at__lt=end)
             .annotate(month=TruncMonth("activity__start_at", tzinfo=SHANGHAI))
             .values("activity__organization__district_id", "month").annotate(hours=Sum("hours")))
    levels = {}
    totals = served.filter(activity__start_at__lt=end).values("volunteer_id", "volunteer__district_id").annotate(h=Sum("hours"))
    for r in totals.iterator(chunk_size=5000):
        key = (r["volunteer__district_id"], stars_for(r["h"]))
        levels[key] = levels.get(key, 0) + 1
    ended = {}
    closed = Dispute.objects.filter(status__in=Dispute.FINAL_STATES, updated_at__gte=start, updated_at__lt=end)
    for status, district_id, opened, last in closed.values_list(
            "status", "organization__district_id", "created_at", "updated_at").iterator(chunk_size=5000):
        days = (last - opened).total_seconds() / 86400
        ended.setdefault((status, district_id), []).append(days)
        ended.setdefault((status, "all"), []).append(days)  # the city's own percentiles
    return {
        "volunteers": volunteers,
        "hours": [{"district_id": r["activity__organization__district_id"], "month": _month(r["month"]),
                   "hours": str(r["hours"])} for r in hours],
        "stars": [{"district_id": d, "stars": s, "count": n} for (d, s), n in sorted(levels.items(), key=str)],
        "disputes_ended": [{"status": s, "district_id": d, "count": len(v), "median": round(median(v), 1),
                            "p90": round(p90(v), 1)} for (s, d), v in sorted(ended.items(), key=str)],
    }


def _in(scope, district_id) -> bool:
    districts = scope.districts()
    return districts is None or district_id in districts


def hours_per_month(scope, found) -> Chart:
    snapshot = found["hours"]
    by_month = {}
    for r in snapshot.data:
        if _in(scope, r["district_id"]):
            by_month[r["month"]] = by_month.get(r["month"], 0) + float(r["hours"])
    return Chart("hours", "volunteers", _("Service hours per month"),
                 [Column(_("Month"), TEXT), Column(_("Service hours"), HOURS)],
                 [[m.strftime("%Y-%m"), round(by_month.get(m.strftime("%Y-%m"), 0), 2)] for m in scope.months()],
                 kind="line", note=_("Approved, current service records, by the month the activity started."),
                 as_of=snapshot.computed_at, snapshot=True)


def stars(scope, found) -> Chart:
    snapshot = found["stars"]
    counts = [0] * 6
    for r in snapshot.data:
        if _in(scope, r["district_id"]):
            counts[r["stars"]] += r["count"]
    return Chart("stars", "volunteers", _("Volunteers by star level"),
                 [Column(_("Star level"), TEXT), Column(_("Volunteers"))],
                 [[_("No star") if n == 0 else ngettext("%(n)s star", "%(n)s stars", n) % {"n": n}, counts[n]]
                  for n in range(6)],
                 kind="pie", note=_("Star levels from approved service hours up to the end of the year."),
                 as_of=snapshot.computed_at, snapshot=True)


def certificates(scope) -> Chart:
    qs = Certificate.objects.filter(issued_at__gte=scope.start, issued_at__lt=scope.end)
    if scope.is_organization:
        qs = qs.filter(issuer_id__in=scope.organization_ids)
    elif scope.districts() is not None:
        qs = qs.filter(issuer__district_id__in=scope.districts())
    counts = dict((_month(r["month"]), r["n"]) for r in qs.annotate(month=TruncMonth("issued_at", tzinfo=SHANGHAI))
                  .values("month").annotate(n=Count("pk")).values("month", "n"))
    return Chart("certificates", "volunteers", _("Certificates issued per month"),
                 [Column(_("Month"), TEXT), Column(_("Certificates"))],
                 [[m.strftime("%Y-%m"), counts.get(m.strftime("%Y-%m"), 0)] for m in scope.months()])


def disputes_opened(scope) -> Chart:
    qs = Dispute.objects.filter(created_at__gte=scope.start, created_at__lt=scope.end)
    if scope.is_organization:
        qs = qs.filter(organization_id__in=scope.organization_ids)
    elif scope.districts() is not None:
        qs = qs.filter(organization__district_id__in=scope.districts())
    rows = (qs.annotate(month=TruncMonth("created_at", tzinfo=SHANGHAI)).values("month")
            .annotate(opened=Count("pk"), ended=Count("pk", filter=Q(status__in=Dispute.FINAL_STATES))))
    counts = {_month(r["month"]): (r["opened"], r["ended"]) for r in rows}
    return Chart("disputes", "volunteers", _("Disputes opened per month"),
                 [Column(_("Month"), TEXT), Column(_("Opened")), Column(_("Ended since"))],
                 [[m.strftime("%Y-%m"), *counts.get(m.strftime("%Y-%m"), (0, 0))] for m in scope.months()])


def dispute_outcomes(scope, found) -> Chart:
    snapshot = found["disputes_ended"]
    labels = dict(Dispute.Status.choices)
    rows = {}
    districts = scope.districts()
    for r in snapshot.data:
        if (r["district_id"] == "all") if districts is None else (r["district_id"] in districts):
            rows.setdefault(r["status"], []).append(r)
    return Chart("dispute_outcomes", "volunteers", _("How disputes ended in the year, and how fast"),
                 [Column(_("Outcome"), TEXT), Column(_("Disputes")), Column(_("Median days"), DAYS, plotted=False),
                  Column(_("90th percentile days"), DAYS, plotted=False)],
                 [[labels.get(s, s), sum(r["count"] for r in group), max(r["median"] for r in group),
                   max(r["p90"] for r in group)] for s, group in rows.items()],
                 note=_("Days from the dispute's filing to its last change."),
                 as_of=snapshot.computed_at, snapshot=True)


def organization_hours(scope) -> Chart:
    qs = (ServiceRecord.objects.counting().filter(activity__category=Activity.Category.SERVICE,
                                                  activity__organization_id__in=scope.organization_ids,
                                                  activity__start_at__gte=scope.start, activity__start_at__lt=scope.end)
          .annotate(month=TruncMonth("activity__start_at", tzinfo=SHANGHAI)).values("month")
          .annotate(hours=Sum("hours"), people=Count("volunteer", distinct=True)))
    found = {_month(r["month"]): (r["hours"], r["people"]) for r in qs}
    return Chart("hours", "volunteers", _("Service hours per month"),
                 [Column(_("Month"), TEXT), Column(_("Service hours"), HOURS), Column(_("Volunteers"), INT)],
                 [[m.strftime("%Y-%m"), *found.get(m.strftime("%Y-%m"), (0, 0))] for m in scope.months()],
                 kind="line")


def charts(scope, found) -> list[Chart]:
    if scope.is_organization:
        return [organization_hours(scope), certificates(scope), disputes_opened(scope)]
    if scope.public:
        return [hours_per_month(scope, found), stars(scope, found), certificates(scope)]
    return [hours_per_month(scope, found), stars(scope, found), certificates(scope), disputes_opened(scope),
            dispute_outcomes(scope, found)]
