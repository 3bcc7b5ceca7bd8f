"""Routing a new task to its department queue with a due time (D1, D2), and which queued
tasks are not offered to a given person (D3)."""
from importlib import import_module

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from .flows import CaseFlow
from .models import TaskRoute
from .registry import case_models


def sla_working_days(process_name: str, step) -> int:
    """Due time per task type from settings: "<process>.<node>", then the step's key, then default."""
    table = settings.WORKFLOW_SLA_WORKING_DAYS
    for key in (f"{process_name}.{step.name}", step.sla_key):
        if key and key in table:
            return int(table[key])
    return int(table["default"])


def due_time(start, working_days: int):
    """(due datetime, provisional) on the working-day calendar; falls back to calendar days
    only if the calendar app is not installed (it always is in this project)."""
    from engine.workdays.calendar import add_working_days

    return add_working_days(start, working_days)


def route_new_task(task, step):
    """Give a freshly created viewflow task its department, role and due time."""
    flow_class = step.flow_class
    case = flow_class.case_for_process(task.process_id)
    department = step.route_department(case)
    if department is None:
        raise ValueError(f"{step.name}: no department for {case.reference}")
    days = sla_working_days(flow_class.process_name, step)
    now = timezone.now()
    due, provisional = due_time(now, days)
    assigned = task.owner_id is not None  # the flow named the person (.Assign), e.g. an expert
    return TaskRoute.objects.create(
        task=task,
        owner_id=task.owner_id,
        state=TaskRoute.State.CLAIMED if assigned else TaskRoute.State.OPEN,
        personal=assigned,
        process_name=flow_class.process_name,
        node=step.name,
        step_title=step.step_title,
        case_type=ContentType.objects.get_for_model(case),
        case_id=case.pk,
        reference=case.reference,
        case_title=case.title()[:200],
        department=department,
        role=step.route_role,
        priority=step.priority,
        created_at=now,
        due_at=due,
        due_provisional=provisional,
        sla_working_days=days,
    )


def escalation_time(due_at):
    """D2: a task still overdue this many working days after its due time escalates."""
    from engine.workdays.calendar import add_working_days

    return add_working_days(due_at, settings.WORKFLOW_ESCALATION_WORKING_DAYS)[0]


def case_flows():
    """Every process's flow; importing each case app's ``flows`` module defines it."""
    for app_name in sorted({m._meta.app_config.name for m in case_models()}):
        import_module(f"{app_name}.flows")
    return [f for f in CaseFlow.__subclasses__() if f.case_model is not None]


def refusals(user) -> list[Q]:
    """D3 in the queue: the routes ``user`` may not work, one filter per rule, so the queue does
    not offer them. The same rule ``services.check_separation`` applies at claim and completion:
    a step's ``separate_from`` (earlier steps this person completed, or ``created_by``) and the
    case model's ``conflicting_cases(user)`` (the query behind ``conflicts_with``), when it has one."""
    refused = []
    done = TaskRoute.objects.filter(completed_by_id=user.pk, state=TaskRoute.State.DONE)
    for flow_class in case_flows():
        model = flow_class.case_model
        case_type = ContentType.objects.get_for_model(model)
        for step in flow_class.human_steps():
            here = Q(case_type=case_type, node=step.name)
            if names := [n for n in step.separate_from if n != "created_by"]:
                refused.append(here & Q(case_id__in=done.filter(case_type=case_type, node__in=names).values("case_id")))
            if "created_by" in step.separate_from:
                refused.append(here & Q(case_id__in=model.objects.filter(created_by_id=user.pk).values("pk")))
        if hasattr(model, "conflicting_cases"):
            refused.append(Q(case_type=case_type, case_id__in=model.conflicting_cases(user)))
    return refused

