"""Routing a new task to its department queue with a due time (D1, D2)."""
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from .models import TaskRoute


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
