"""The task list API's page as plain values: the page's rows in one ``values()`` query and
each row built as ``TaskSerializer`` would build it, without model instances or a serializer
per request (the list's shape and schema stay ``TaskSerializer``'s; a test compares them).

Twenty rows through ``ModelSerializer`` (its fields rebuilt per request) and model instances
were most of the list's CPU once its queries were few.
"""
from django.utils import timezone
from rest_framework import serializers

from engine.processes import step_title

from .models import TaskRoute, route_case_title
from .selectors import LateRowPaginator

_WHEN = serializers.DateTimeField()  # the serializer's own formatting: local time, ISO 8601
_COLUMNS = (
    "pk", "reference", "case_title", "case_title_args", "case_type_id", "process_name", "node", "step_title", "department__code",
    "department__name", "role", "state", "owner__username", "delegate__username", "priority",
    "created_at", "due_at", "due_provisional", "escalation_level", "completed_at", "decision",
    "task__flow_task",
)
_OPEN = (TaskRoute.State.OPEN, TaskRoute.State.CLAIMED)


def _when(value):
    return None if value is None else _WHEN.to_representation(value)


def task_row(values: dict, now) -> dict:
    """One list row from ``_COLUMNS``'s values, field for field ``TaskSerializer``'s."""
    step = values["task__flow_task"]
    return {
        "id": values["pk"],
        "reference": values["reference"],
        "case_title": route_case_title(values["case_type_id"], values["reference"], values["case_title_args"],
                                       values["case_title"]),
        "process_name": values["process_name"],
        "node": values["node"],
        "step_title": step_title(values["process_name"], values["node"], values["step_title"]),
        "department": values["department__code"],
        "department_name": values["department__name"],
        "role": values["role"],
        "state": values["state"],
        "owner": values["owner__username"],
        "delegate": values["delegate__username"],
        "priority": values["priority"],
        "created_at": _when(values["created_at"]),
        "due_at": _when(values["due_at"]),
        "due_provisional": values["due_provisional"],
        "overdue": values["state"] in _OPEN and values["due_at"] < now,
        "escalation_level": values["escalation_level"],
        "completed_at": _when(values["completed_at"]),
        "decision": values["decision"],
        "decisions": {code: str(d.label) for code, d in getattr(step, "decisions", {}).items()},
    }


class TaskRowPaginator(LateRowPaginator):
    """``LateRowPaginator`` whose page holds finished list rows (dicts), read with ``values()``."""

    def rows(self, ids) -> dict:
        now = timezone.now()
        return {v["pk"]: task_row(v, now) for v in TaskRoute.objects.filter(pk__in=ids).order_by().values(*_COLUMNS)}
