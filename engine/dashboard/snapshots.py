"""Figures computed by a periodic task rather than per page view: percentiles need every
duration, and star levels every volunteer's total, which no index turns into a fixed-cost
query at a million rows. ``refresh(year)`` recomputes a year's snapshots (the engine's and each
process's ``dashboard_snapshots`` hook); pages read them in one query and show their time."""
import math
from datetime import datetime
from statistics import median

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_str

from engine.audit.models import AuditEvent
from engine.cases.models import TaskRoute
from engine.formatting import SHANGHAI
from engine.processes import hooks

from .models import FigureSnapshot

CHUNK = 5000


def p90(values: list) -> float:
    """Nearest-rank 90th percentile: the smallest value with at least 90% of values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def _hours(values: list) -> dict:
    return {"median": round(median(values), 2), "p90": round(p90(values), 2), "count": len(values)}


def _year_bounds(year):
    return datetime(year, 1, 1, tzinfo=SHANGHAI), datetime(year + 1, 1, 1, tzinfo=SHANGHAI)


def step_and_month_figures(year) -> tuple[list, list]:
    """Per department and step: median and p90 hours from creation to completion of the tasks
    finished in ``year``; per department and month: how many were finished."""
    start, end = _year_bounds(year)
    durations, finished, names = {}, {}, {}
    rows = (TaskRoute.objects.filter(state=TaskRoute.State.DONE, completed_at__gte=start, completed_at__lt=end)
            .values_list("department_id", "department__name", "department__district_id", "process_name", "node",
                         "step_title", "created_at", "completed_at"))
    for dept, dept_name, district, process, node, title, created, completed in rows.iterator(chunk_size=CHUNK):
        durations.setdefault((dept, process, node), []).append((completed - created).total_seconds() / 3600)
        names[(dept, process, node)] = (dept_name, title, district)
        month = completed.astimezone(SHANGHAI).strftime("%Y-%m")
        finished[(dept, month)] = finished.get((dept, month), 0) + 1
        names[dept] = (dept_name, "", district)
    steps = [{"department_id": key[0], "department": names[key][0], "district_id": names[key][2],
              "process": key[1], "node": key[2], "step": names[key][1], **_hours(values)}
             for key, values in sorted(durations.items(), key=lambda kv: (names[kv[0]][0], kv[0][1], kv[0][2]))]
    months = [{"department_id": dept, "district_id": names[dept][2], "month": month, "count": n}
              for (dept, month), n in sorted(finished.items())]
    return steps, months


def state_figures(year) -> list:
    """Per case type and state: median and p90 hours of the stays that ended in ``year``, read
    from the audit trail's status changes (events whose ``after`` names a status, D4)."""
    start, end = _year_bounds(year)
    events = (AuditEvent.objects.filter(after__has_key="status", at__lt=end)
              .order_by("object_type", "object_id", "seq").values_list("object_type", "object_id", "at", "after"))
    stays, previous = {}, None
    for object_type, object_id, at, after in events.iterator(chunk_size=CHUNK):
        state = after.get("status")
        if previous and previous[:2] == (object_type, object_id) and previous[3] != state and at >= start:
            stays.setdefault((object_type, previous[3]), []).append((at - previous[2]).total_seconds() / 3600)
        if not previous or previous[:2] != (object_type, object_id) or previous[3] != state:
            previous = (object_type, object_id, at, state)
    return [{"object_type": key[0], "state": key[1], **_hours(values)} for key, values in sorted(stays.items())]


def compute(year) -> dict:
    steps, months = step_and_month_figures(year)
    found = {"step_times": steps, "throughput": months, "state_times": state_figures(year)}
    for provider in hooks("dashboard_snapshots"):
        found.update(provider(year))
    return found


def refresh(year=None) -> int:
    """Recompute and store the snapshots of ``year`` (default: this year); returns how many."""
    year = year or timezone.localdate().year
    found = compute(year)
    now = timezone.now()
    with transaction.atomic():
        for key, data in found.items():
            FigureSnapshot.objects.update_or_create(key=key, year=year, defaults={"data": data, "computed_at": now})
    return len(found)


def read(year) -> dict:
    """The year's snapshots by key, in one query; a figure never computed reads as empty with
    no time (the page then says it has not been computed yet)."""
    found = {s.key: s for s in FigureSnapshot.objects.filter(year=year)}
    return _Missing(found, year)


class _Missing(dict):
    def __init__(self, found, year):
        super().__init__(found)
        self.year = year

    def __missing__(self, key):
        return FigureSnapshot(key=key, year=self.year, data=[], computed_at=None)


def _status_field(object_type):
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return None, None
    try:
        return model, model._meta.get_field("status")
    except FieldDoesNotExist:
        return model, None


def case_label(object_type) -> str:
    model, _field = _status_field(object_type)
    return force_str(model._meta.verbose_name) if model else object_type


def state_label(object_type, state) -> str:
    """The state's label in the reader's language, never its code."""
    _model, field = _status_field(object_type)
    choices = dict(field.flatchoices) if field is not None else {}
    return force_str(choices.get(state, state))
