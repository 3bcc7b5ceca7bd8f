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

from engine.audit.services import audit_record
from engine.directory import rights
from engine.directory.models import Role

from .context import locked_route
from .errors import NotAllowed, RuleViolation, StateConflict
from .models import TaskRoute
from .services import check_separation, lock_route, may_work


def _audit(route, actor, action, before, after, reason=""):
    audit_record(
        actor=actor, action=f"task.{action}", object_type="cases.taskroute", object_id=route.pk,
        reference=route.reference, before=before, after=after, reason=reason,
    )


def _case(route):
    return route.case_type.model_class().objects.get(pk=route.case_id)


def assign_route(route, user):
    """Give an open route to ``user`` (no checks: callers have made them)."""
    route.owner, route.state = user, TaskRoute.State.CLAIMED
    route.save(update_fields=["owner", "state"])
    task = route.task
    with task.activation() as activation:
        if task.status == STATUS.NEW:
            activation.assign(user)
        else:
            task.owner = user
            task.save(update_fields=["owner"])


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
        if not may_work(actor, route):
            raise NotAllowed(_("该待办不在您所在部门和角色的队列中。"))
        if route.state == TaskRoute.State.CLAIMED:
            if route.owner_id == actor.pk:
                raise StateConflict(_("您已认领该待办。"), code="task_claimed")
            raise StateConflict(_("该待办已由他人认领。"), code="task_claimed")
        if route.state != TaskRoute.State.OPEN:
            raise StateConflict(_("该待办已办结或已取消。"), code="task_closed")
        check_separation(actor, route, _case(route))
        claim_route(route, actor)
    return route


def claim_route(route, actor):
    """Give an open, locked route to ``actor`` and record it (rights already checked)."""
    assign_route(route, actor)
    _audit(route, actor, "claim", {"state": "open"}, {"state": "claimed", "owner": actor.pk})


def task_release(*, actor, task_id) -> TaskRoute:
    """Put a claimed task back into the queue (its owner, or the department head)."""
    with transaction.atomic():
        route = lock_route(task_id)
        if route.state != TaskRoute.State.CLAIMED:
            raise StateConflict(_("只有办理中的待办可以退回队列。"))
        if route.personal:
            raise StateConflict(
                _("此待办由流程指派给本人，不能退回队列；如需更换办理人，请部门负责人改派。"), code="task_personal"
            )
        is_head = rights.has_role(actor, route.department_id, Role.HEAD)
        if route.owner_id != actor.pk and not is_head:
            raise NotAllowed(_("只有办理人或部门负责人可以退回该待办。"))
        before = {"state": "claimed", "owner": route.owner_id}
        _unassign_route(route)
        _audit(route, actor, "release", before, {"state": "open"})
    return route


def _user(user_id):
    try:
        return get_user_model().objects.get(pk=user_id, is_active=True)
    except (get_user_model().DoesNotExist, ValueError, TypeError):
        raise RuleViolation(_("指定的人员不存在。"), fields={"user": [_("人员不存在。")]}) from None


def task_reassign(*, actor, task_id, user_id, reason="") -> TaskRoute:
    """The department head gives the task to another member with the task's role."""
    with transaction.atomic():
        route = lock_route(task_id)
        if not route.is_open:
            raise StateConflict(_("该待办已办结或已取消。"), code="task_closed")
        if not rights.has_role(actor, route.department_id, Role.HEAD):
            raise NotAllowed(_("只有部门负责人可以改派待办。"))
        target = _user(user_id)
        # experts hold their role city-wide, not in the department whose task it is
        eligible = rights.is_expert(target) if route.role == Role.EXPERT else may_work(target, route)
        if not eligible:
            raise RuleViolation(_("被改派人不具有该待办所需的角色。"), fields={"user": [_("角色不符。")]})
        check_separation(target, route, _case(route))
        before = {"state": route.state, "owner": route.owner_id}
        route.delegate = None
        assign_route(route, target)
        _audit(route, actor, "reassign", before, {"state": "claimed", "owner": target.pk}, reason)
    return route


def task_delegate(*, actor, task_id, user_id, reason="") -> TaskRoute:
    """The owner lets a colleague work the task; the owner stays the owner."""
    with transaction.atomic():
        route = lock_route(task_id)
        if route.state != TaskRoute.State.CLAIMED or route.owner_id != actor.pk:
            raise NotAllowed(_("只有待办的办理人可以委托他人。"))
        if route.delegate_id:
            raise StateConflict(_("该待办已委托他人办理。"))
        if route.personal:
            raise StateConflict(_("此待办由流程指派给本人，不能委托他人。"), code="task_personal")
        target = _user(user_id)
        if target.pk == actor.pk:
            raise RuleViolation(_("不能委托给自己。"))
        if not rights.department_ids(target) & {route.department_id}:
            raise RuleViolation(_("只能委托给本部门人员。"), fields={"user": [_("不是本部门人员。")]})
        check_separation(target, route, _case(route))
        route.delegate = target
        route.save(update_fields=["delegate"])
        _audit(route, actor, "delegate", {"delegate": None}, {"delegate": target.pk}, reason)
    return route


def task_resolve(*, actor, task_id, reason="") -> TaskRoute:
    """The delegate hands the worked task back to its owner, who then completes it."""
    with transaction.atomic():
        route = lock_route(task_id)
        if route.delegate_id != actor.pk:
            raise NotAllowed(_("只有受托人可以交回该待办。"))
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
                _("无效的办理结果。可选：%(choices)s") % {"choices": "、".join(decisions) or "—"},
                fields={"decision": [_("无效的选项。")]},
            )
        spec = decisions[decision]
        if spec.needs_reason and not (reason or "").strip():
            raise RuleViolation(_("请填写理由。"), fields={"reason": [_("必填。")]})
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


