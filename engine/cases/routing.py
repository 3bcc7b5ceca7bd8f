"""Routing a task to a department queue: a new task with its due time (D1, D2), and an
open task moved to another department or role (``reroute``: R9, D2 escalation)."""
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from viewflow.workflow.status import STATUS

from engine.audit.services import audit_record
from engine.workdays.calendar import add_working_days

from .models import TaskRoute
from .search import case_search_key


def sla_working_days(process_name: str, step) -> int:
    """Due time per task type from settings: "<process>.<node>", then the step's key, then default."""
    table = settings.WORKFLOW_SLA_WORKING_DAYS
    for key in (f"{process_name}.{step.name}", step.sla_key):
        if key and key in table:
            return int(table[key])
    return int(table["default"])


def due_time(start, working_days: int):
    """(due datetime, provisional) on the working-day calendar (D2)."""
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
    title = case.case_title()[:200]
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
        case_title=title,
        case_title_args=case.title_args(),  # D7: composed in each reader's language when shown
        search_key=case_search_key(case),
        department=department,
        role=step.route_role,
        priority=step.priority,
        created_at=now,
        due_at=due,
        due_provisional=provisional,
        sla_working_days=days,
    )


def fix_due_time(case, due_at, working_days=None):
    """Give ``case``'s open tasks a due time the process states itself (a time told to a person,
    a moment in the case's data) instead of the step's SLA from creation. It is final: the
    recompute of provisional due times leaves it alone. Call in the transaction that created
    the tasks."""
    routes = TaskRoute.objects.filter(
        case_type=ContentType.objects.get_for_model(case), case_id=case.pk,
        state__in=[TaskRoute.State.OPEN, TaskRoute.State.CLAIMED],
    )
    changes = {"due_at": due_at, "due_provisional": False}
    if working_days is not None:
        changes["sla_working_days"] = working_days
    routes.update(**changes)


def escalation_time(due_at):
    """D2: a task still overdue this many working days after its due time escalates."""
    return add_working_days(due_at, settings.WORKFLOW_ESCALATION_WORKING_DAYS)[0]


def reroute(route, department, role=None, *, actor=None, action="task.reroute", reason="",
            escalation=False, due_from=None, working_days=None) -> TaskRoute:
    """Move an open task to the queue of ``department`` (and ``role``, when given): the one place
    a route changes department. It goes back to the queue: owner and delegate cleared, the
    viewflow task back to NEW. An ``escalation`` (D2) remembers the department it came from and
    counts the level; with ``due_from`` the due time starts again from then (``working_days``,
    else the route's own) and the overdue flags are cleared. Writes one audit event
    (``action``) on the route. Call inside the caller's transaction, the route row locked."""
    before = {"department": route.department.code, "role": route.role, "owner": route.owner_id}
    if escalation:
        route.escalated_from = route.department
        route.escalation_level += 1
    route.department, route.role = department, role or route.role
    route.owner, route.delegate, route.state = None, None, TaskRoute.State.OPEN
    if due_from is not None:
        route.due_at, route.due_provisional = due_time(due_from, working_days or route.sla_working_days)
        route.overdue_at = route.escalate_after = None
    route.save()
    task = route.task
    if task.owner_id or task.status == STATUS.ASSIGNED:
        task.owner, task.status = None, STATUS.NEW
        task.save(update_fields=["owner", "status"])
    audit_record(
        actor=actor, action=action, object_type="cases.taskroute", object_id=route.pk,
        reference=route.reference, before=before, reason=reason,
        after={"department": department.code, "role": route.role, "owner": None},
    )
    return route
