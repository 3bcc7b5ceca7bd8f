"""Work in the departments (issue #14): open, due-soon, overdue and escalated tasks per
department and role, read live from the task routing (its queue index: department, role,
state, due time); and, from the snapshots, the time each step and each state takes and the
tasks finished per month."""
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine.cases.models import TaskRoute
from engine.directory.models import Role

from . import snapshots
from .charts import HOURS, INT, TEXT, Chart, Column


def open_tasks(scope, now=None) -> Chart:
    """D2: overdue is past the due time; due soon is within ``DASHBOARD_DUE_SOON_HOURS``;
    escalated has moved up at least once."""
    now = now or timezone.now()
    soon = now + timedelta(hours=settings.DASHBOARD_DUE_SOON_HOURS)
    rows = (TaskRoute.objects.open().filter(scope.department_q())
            .values("department__name", "department__code", "role")
            .annotate(open=Count("pk"), due_soon=Count("pk", filter=Q(due_at__gte=now, due_at__lt=soon)),
                      overdue=Count("pk", filter=Q(due_at__lt=now)),
                      escalated=Count("pk", filter=Q(escalation_level__gt=0)))
            .order_by("department__code", "role"))
    roles = dict(Role.choices)
    return Chart(
        "tasks", "work", _("Open tasks by department and role"),
        [Column(_("Department and role"), TEXT), Column(_("Open")), Column(_("Due soon")),
         Column(_("Overdue")), Column(_("Escalated"))],
        [[f"{r['department__name']} · {roles.get(r['role'], r['role'])}", r["open"], r["due_soon"], r["overdue"],
          r["escalated"]] for r in rows],
        note=_("Due soon: due within the next %(hours)s hours. Escalated: moved up to the parent department "
               "at least once.") % {"hours": settings.DASHBOARD_DUE_SOON_HOURS},
    )


def step_times(scope, snapshot) -> Chart:
    """Median and 90th percentile hours from a step's creation to its completion, per
    process and step, for the departments in scope (one row per department and step)."""
    depts = scope.departments()
    rows = [r for r in snapshot.data if depts is None or r["department_id"] in depts]
    if scope.district_id is not None:
        rows = [r for r in rows if r.get("district_id") == scope.district_id]
    return Chart(
        "step_times", "work", _("Time per step (hours)"),
        [Column(_("Step"), TEXT), Column(_("Median"), HOURS), Column(_("90th percentile"), HOURS),
         Column(_("Tasks done"), INT, plotted=False)],
        [[f"{r['department']} · {r['step']}", r["median"], r["p90"], r["count"]] for r in rows],
        note=_("From each finished task's creation to its completion, tasks finished in the year; "
               "90th percentile: nine in ten finished within this time."),
        as_of=snapshot.computed_at, snapshot=True,
    )


def state_times(scope, snapshot) -> Chart:
    """Median and 90th percentile hours a case stays in each state, from the audit trail's
    status changes (D4): the time from entering a state to the next change."""
    return Chart(
        "state_times", "work", _("Time per state (hours)"),
        [Column(_("State"), TEXT), Column(_("Median"), HOURS), Column(_("90th percentile"), HOURS),
         Column(_("Cases"), INT, plotted=False)],
        [[f"{snapshots.case_label(r['object_type'])} · {snapshots.state_label(r['object_type'], r['state'])}",
          r["median"], r["p90"], r["count"]] for r in snapshot.data],
        note=_("City-wide, from the audit trail: each stay in a state that ended in the year, from the status "
               "change that entered it to the one that left it."),
        as_of=snapshot.computed_at, snapshot=True,
    )


def throughput(scope, snapshot) -> Chart:
    depts = scope.departments()
    counts = {}
    for r in snapshot.data:
        if (depts is None or r["department_id"] in depts) and (
                scope.district_id is None or r.get("district_id") == scope.district_id):
            counts[r["month"]] = counts.get(r["month"], 0) + r["count"]
    months = [m.strftime("%Y-%m") for m in scope.months()]
    return Chart(
        "throughput", "work", _("Tasks finished per month"),
        [Column(_("Month"), TEXT), Column(_("Tasks finished"))],
        [[m, counts.get(m, 0)] for m in months], kind="line", as_of=snapshot.computed_at, snapshot=True,
    )


def charts(scope, found: dict) -> list[Chart]:
    """The work section; ``found`` holds the year's snapshots by key (read in one query)."""
    if scope.public or scope.is_organization:
        return []
    return [open_tasks(scope), throughput(scope, found["throughput"]), step_times(scope, found["step_times"]),
            state_times(scope, found["state_times"])]
