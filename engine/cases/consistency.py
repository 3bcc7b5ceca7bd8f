"""The open task and the FSM status must agree (DESIGN "How a case moves", step 4)."""
from dataclasses import dataclass

from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from .models import TaskRoute
from .registry import case_models


@dataclass
class Mismatch:
    reference: str
    status: str
    problem: str


def find_mismatches():
    """Cases whose open task expects another status, and live cases with no open task."""
    problems = []
    for model in case_models():
        routes = TaskRoute.objects.open().filter(
            case_type__app_label=model._meta.app_label, case_type__model=model._meta.model_name
        ).select_related("task")
        statuses = dict(model.objects.filter(pk__in=routes.values("case_id")).values_list("pk", "status"))
        with_task = set()
        for route in routes:
            status = statuses.get(route.case_id)
            with_task.add(route.case_id)
            expected = getattr(route.task.flow_task, "expected_states", ())
            if expected and status not in expected:
                problems.append(Mismatch(
                    route.reference, status,
                    _("The task “%(step)s” expects the status %(statuses)s") % {
                        "step": route.display_step_title, "statuses": "/".join(expected)},
                ))
        live = list(model.objects.exclude(status__in=model.FINAL_STATES).filter(flow_process__isnull=False)
                    .exclude(flow_process__status__in=["DONE", "CANCELED"]).exclude(pk__in=with_task)
                    .values_list("reference", "status", "flow_process_id"))
        # system steps (timers, handles) have no route but keep a case alive
        waiting = set(Task.objects.filter(
            process_id__in=[process for _reference, _status, process in live], status__in=["NEW", "SCHEDULED", "STARTED"],
        ).values_list("process_id", flat=True))
        problems.extend(
            Mismatch(reference, status, _("The case is not closed, but has no open task or pending system step"))
            for reference, status, process in live if process not in waiting
        )
    return problems
