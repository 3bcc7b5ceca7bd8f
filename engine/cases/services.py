"""The service pattern as one helper, so a process's service is its rule and little else.

    def application_return(*, actor, task_id, reason, data=None):
        if not reason:
            raise RuleViolation(_("Please give the reason for returning it."))
        with case_step(task_id=task_id, actor=actor, decision="return", reason=reason) as step:
            step.case.return_for_supplements(reason)     # the FSM transition
        return step.case

``case_step`` opens a transaction, locks the task's route and the case row, checks that the
actor may work the task (claiming it if it is still in the queue) and the separation of
duties (D3), runs the caller's block, saves the case, finishes the viewflow task (which
creates and routes the next ones), writes the audit event (D4) and queues side effects for
after the commit. ``case_transition`` does the same for changes no queue task stands for:
an applicant submitting, a periodic task moving a deadline.

Lock order, one rule for every service (it is what keeps two people acting at once on related
cases from deadlocking):

1. the case's own rows: its task route, then the case row (``case_step`` takes both first);
2. then the rows of the case's world that the step changes and other cases share — a budget
   line, an incubation base, a contract's payment total — locked by the service just before it
   changes them, each kind in one order (by primary key when several of a kind);
3. nothing that every case shares: the audit trail appends without a lock (it is sealed later)
   and the only counters are per process and year; a new case's number is taken at the very
   end of the block that creates it (``numbering.case_creation``), a certificate's when issued.

A conflict that still happens (a deadlock the database broke, a unique constraint that fired)
rolls the whole step back and answers 409 with a code; nothing is half-done.
"""
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed
from viewflow.workflow.models import Process
from viewflow.workflow.status import PROCESS, STATUS

from engine.audit.services import audit_record
from engine.directory import rights

from .assignment import claim_route
from .context import current_case, locked_route
from .errors import NotAllowed, NotFound, StateConflict
from .flows import open_tasks
from .models import TaskRoute


@dataclass
class StepContext:
    case: object
    actor: object
    route: TaskRoute | None = None
    audit_after: dict = field(default_factory=dict)
    side_effects: list = field(default_factory=list)

    def after_commit(self, func):
        """Run ``func`` once the transaction has committed (notifications, Celery tasks)."""
        self.side_effects.append(func)


def may_work(actor, route) -> bool:
    """The actor holds the route's role in its department (a head may work any of its roles)."""
    return (route.department_id, route.role) in rights.queue_keys(actor)


def check_separation(actor, route, case):
    """D3: whoever completed a step named in ``separate_from`` may not do this one, and
    nobody the case declares in conflict (``Case.conflicts_with``) works any of its tasks."""
    if case.conflicts_with(actor):
        raise NotAllowed(
            _("Conflict of interest: you are related to the applicant of this case and cannot work on “%(step)s”.") % {"step": route.display_step_title},
            code="conflict_of_interest",
        )
    step = route.task.flow_task
    for name in getattr(step, "separate_from", ()):
        if name == "created_by":
            clash = case.created_by_id == actor.pk
        else:
            clash = TaskRoute.objects.filter(
                case_type_id=route.case_type_id, case_id=route.case_id, node=name,
                completed_by=actor,
            ).exists()
        if clash:
            raise NotAllowed(
                _("Separation of duties: you worked on an earlier step of this case and cannot also work on “%(step)s”.") % {"step": route.display_step_title},
                code="separation_of_duties",
            )


def lock_route(task_id) -> TaskRoute:
    """Lock the task's route row: the first lock of every step (lock order: route, case, then
    the shared rows of the case's world, e.g. a budget line or a base)."""
    ahead = locked_route.get()
    if ahead is not None and str(ahead.pk) == str(task_id):
        return ahead
    try:
        return TaskRoute.objects.select_for_update(of=("self",)).select_related("task").get(pk=task_id)
    except (TaskRoute.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such task.")) from None


def case_of_task(task_id, queryset):
    """The case of ``queryset``'s model that the task ``task_id`` stands for, read without a lock
    (a process's task service checks its own rules on it before ``case_step`` locks it); any
    other task, or none, is "No such task." (404)."""
    route = TaskRoute.objects.filter(pk=task_id).only("case_type_id", "case_id").first() \
        if str(task_id).isdigit() else None
    if route is None or ContentType.objects.get_for_id(route.case_type_id).model_class() is not queryset.model:
        raise NotFound(_("No such task."))
    case = queryset.filter(pk=route.case_id).first()
    if case is None:
        raise NotFound(_("No such task."))
    return case


def _lock_case(model, pk):
    try:
        return model.objects.select_for_update(of=("self",)).select_related("department").get(pk=pk)
    except model.DoesNotExist:
        raise NotFound(_("No such case.")) from None


def _lock_open_routes(model, pk):
    """The case's open routes before the case row, as ``case_step`` does: a transition that
    closes them (cancel, withdraw) then never waits on a step holding a route while holding
    the case a step waits for."""
    list(TaskRoute.objects.select_for_update().filter(
        case_type=ContentType.objects.get_for_model(model), case_id=pk,
        state__in=[TaskRoute.State.OPEN, TaskRoute.State.CLAIMED],
    ).values_list("pk", flat=True))


@contextmanager
def case_in_hand(case):
    """Within the block, the flow reads ``case`` (locked by the caller) instead of a fresh copy."""
    token = current_case.set(case)
    try:
        yield case
    finally:
        current_case.reset(token)


def take_task(route, actor, case=None):
    """Make sure ``actor`` holds ``route``; claim it on the way if it is still in the queue.

    With ``case`` (the locked case: the caller is about to finish the task) the claim is part of
    the step: the route is given to the actor in memory and saved when it is finished."""
    if not route.is_open:
        raise StateConflict(_("This task is already done or cancelled."), code="task_closed")
    if route.delegate_id:
        # delegated work goes back to the owner (resolve) before anyone finishes it
        if route.delegate_id == actor.pk:
            raise NotAllowed(_("When you are done, hand the task back to its owner, who completes it."), code="task_delegated")
        if route.owner_id == actor.pk:
            raise StateConflict(_("This task is delegated; complete it after the delegate hands it back."), code="task_delegated")
    if route.owner_id == actor.pk:
        return
    if route.state == TaskRoute.State.CLAIMED:
        if may_work(actor, route):
            raise StateConflict(_("This task has been claimed by someone else."), code="task_claimed")
        raise NotAllowed()
    if not may_work(actor, route):
        raise NotAllowed(_("This task is not in the queue of your department and role."))
    if case is not None:
        route.owner, route.state = actor, TaskRoute.State.CLAIMED
        return True
    check_separation(actor, route, route.case_type.model_class().objects.get(pk=route.case_id))
    claim_route(route, actor)


def finish_route(route, actor, decision=""):
    """Close the route and let viewflow create (and route) the next tasks."""
    now = timezone.now()
    route.state = TaskRoute.State.DONE
    route.completed_at, route.completed_by, route.decision = now, actor, decision
    route.delegate = None
    route.save(update_fields=["state", "owner", "completed_at", "completed_by", "decision", "delegate"])
    task = route.task
    with task.activation() as activation:
        if task.status == STATUS.NEW:
            activation.assign(actor)
        activation.start(None)
        activation.execute()


def _case_model(route):
    return route.case_type.model_class()


@contextmanager
def _refusal_is_conflict(case):
    """An FSM transition refused in the caller's block is a 409 naming the case's status."""
    try:
        yield
    except TransitionNotAllowed:
        raise StateConflict(
            _("The case is “%(status)s”; this cannot be done now.") % {"status": case.get_status_display()}
        ) from None


@contextmanager
def case_step(*, task_id, actor, decision: str = "", reason: str = "", action: str = ""):
    """Work and finish one human task of a case (see the module docstring)."""
    with transaction.atomic():
        route = lock_route(task_id)
        case = _lock_case(_case_model(route), route.case_id)
        claimed = take_task(route, actor, case)
        check_separation(actor, route, case)
        before = case.status
        ctx = StepContext(case=case, actor=actor, route=route)
        if claimed:  # the claim is part of this step's event, not one of its own
            ctx.audit_after["claimed"] = True
        with case_in_hand(case):
            with _refusal_is_conflict(case):
                yield ctx
            case.save()
            finish_route(route, actor, decision)
        audit_record(
            actor=actor, obj=case, reason=reason,
            action=action or f"{route.process_name}.{route.node}" + (f".{decision}" if decision else ""),
            before={"status": before, "task": route.pk},
            after={"status": case.status, "decision": decision, **ctx.audit_after},
        )
        for func in ctx.side_effects:
            transaction.on_commit(func)


@contextmanager
def case_transition(*, model, pk, actor, action: str, reason: str = "", check=None):
    """A state change no queue task stands for; ``check(case, actor)`` raises if not allowed."""
    with transaction.atomic():
        _lock_open_routes(model, pk)
        case = _lock_case(model, pk)
        if check is not None:
            check(case, actor)
        before = case.status
        ctx = StepContext(case=case, actor=actor)
        with case_in_hand(case):
            with _refusal_is_conflict(case):
                yield ctx
            case.save()
        audit_record(
            actor=actor, obj=case, action=action, reason=reason,
            before={"status": before}, after={"status": case.status, **ctx.audit_after},
        )
        for func in ctx.side_effects:
            transaction.on_commit(func)


def run_handle(case, node, **kwargs):
    """Complete the open task of a viewflow ``Handle`` node of ``case`` (system steps)."""
    task = open_tasks(case, node).first()
    if task is None:
        raise StateConflict(_("No task of the process is waiting at this step."))
    node.run(task, **kwargs)


def cancel_open_tasks(case, actor=None):
    """Withdraw, reject or cancel: close every open task of ``case`` and end its process."""
    now = timezone.now()
    for task in open_tasks(case).select_related(None):
        with task.activation() as activation:
            cancel = getattr(activation, "cancel", None)
            if cancel is not None and cancel.can_proceed():
                cancel()
            else:
                task.status, task.finished = STATUS.CANCELED, now
                task.save(update_fields=["status", "finished"])
    TaskRoute.objects.filter(
        task__process_id=case.flow_process_id, state__in=[TaskRoute.State.OPEN, TaskRoute.State.CLAIMED]
    ).update(state=TaskRoute.State.CANCELLED, completed_at=now, completed_by=actor)
    if case.flow_process_id:
        Process.objects.filter(pk=case.flow_process_id).update(status=PROCESS.CANCELED, finished=now)
