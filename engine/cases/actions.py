"""Task actions on department queues: claim, release, reassign, delegate, resolve, complete.

Each runs in a transaction with the route row locked, checks the actor's right, keeps the
viewflow task in step, and writes an audit event (D1, D4). Losing a race for a task is a
``StateConflict`` (HTTP 409), never a double claim.
"""
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from . import task_rights
from .assignment import assign_route, claim_route
from .assignment import audit_task as _audit
from .context import locked_route
from .errors import RuleViolation
from .models import TaskRoute
from .services import lock_route


def _refuse(refusal):
    """Raise the refusal a ``task_rights`` rule answered, if any."""
    if refusal is not None:
        raise refusal


def _unassign_route(route):
    route.owner, route.delegate, route.state = None, None, TaskRoute.State.OPEN
    route.save(update_fields=["owner", "delegate", "state"])
    task = route.task
    with task.activation() as activation:
        if task.status == STATUS.ASSIGNED:
            activation.unassign()


def task_claim(*, actor, task_id) -> TaskRoute:
    """Take a task from the department queue; a second claim gets a 409."""
    with transaction.atomic():
        route = lock_route(task_id)
        _refuse(task_rights.claim_refusal(actor, route))
        claim_route(route, actor)
    return route


def task_release(*, actor, task_id) -> TaskRoute:
    """Put a claimed task back into the queue (its owner, or the department head)."""
    with transaction.atomic():
        route = lock_route(task_id)
        _refuse(task_rights.release_refusal(actor, route))
        before = {"state": "claimed", "owner": route.owner_id}
        _unassign_route(route)
        _audit(route, actor, "release", before, {"state": "open"})
    return route


def _user(user_id):
    try:
        return get_user_model().objects.get(pk=user_id, is_active=True)
    except (get_user_model().DoesNotExist, ValueError, TypeError):
        raise RuleViolation(_("The person given does not exist."), fields={"user": [_("No such person.")]}) from None


def task_reassign(*, actor, task_id, user_id, reason="") -> TaskRoute:
    """The department head gives the task to another member with the task's role."""
    with transaction.atomic():
        route = lock_route(task_id)
        _refuse(task_rights.reassign_refusal(actor, route))
        target = _user(user_id)
        _refuse(task_rights.reassign_target_refusal(target, route))
        before = {"state": route.state, "owner": route.owner_id}
        route.delegate = None
        assign_route(route, target)
        _audit(route, actor, "reassign", before, {"state": "claimed", "owner": target.pk}, reason)
    return route


def task_delegate(*, actor, task_id, user_id, reason="") -> TaskRoute:
    """The owner lets a colleague work the task; the owner stays the owner."""
    with transaction.atomic():
        route = lock_route(task_id)
        _refuse(task_rights.delegate_refusal(actor, route))
        target = _user(user_id)
        _refuse(task_rights.delegate_target_refusal(actor, target, route))
        route.delegate = target
        route.save(update_fields=["delegate"])
        _audit(route, actor, "delegate", {"delegate": None}, {"delegate": target.pk}, reason)
    return route


def task_resolve(*, actor, task_id, reason="") -> TaskRoute:
    """The delegate hands the worked task back to its owner, who then completes it."""
    with transaction.atomic():
        route = lock_route(task_id)
        _refuse(task_rights.resolve_refusal(actor, route))
        route.delegate = None
        route.save(update_fields=["delegate"])
        _audit(route, actor, "resolve", {"delegate": actor.pk}, {"delegate": None, "owner": route.owner_id}, reason)
    return route


def task_complete(*, actor, task_id, decision: str, reason: str = "", data: dict | None = None):
    """Finish a task with one of its step's declared decisions, through the process's service.

    The route is locked here, once, and the service's ``case_step`` takes it from
    ``locked_route`` instead of reading it again."""
    with transaction.atomic():
        route = lock_route(task_id)
        step = route.task.flow_task
        decisions = getattr(step, "decisions", {})
        if decision not in decisions:
            raise RuleViolation(
                _("Not a valid decision. Choose one of: %(choices)s") % {"choices": _(", ").join(decisions) or "—"},
                fields={"decision": [_("Not a valid choice.")]},
            )
        spec = decisions[decision]
        if spec.needs_reason and not (reason or "").strip():
            raise RuleViolation(_("Please give a reason."), fields={"reason": [_("Required.")]})
        token = locked_route.set(route)
        try:
            return import_string(spec.service)(actor=actor, task_id=route.pk, reason=reason, data=data or {})
        finally:
            locked_route.reset(token)


def open_routes_for_case(case):
    return TaskRoute.objects.filter(
        case_type__app_label=case._meta.app_label, case_type__model=case._meta.model_name,
        case_id=case.pk, state__in=[TaskRoute.State.OPEN, TaskRoute.State.CLAIMED],
    )


