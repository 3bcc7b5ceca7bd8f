"""Who may claim, release, reassign, delegate and resolve a task: one function per rule (D1, D3).

Each answers with the refusal the action would meet — the error the service raises — or
``None`` when the action is allowed. The services in ``actions`` raise what these return, and
the workbench shows a button only when its rule returns ``None``, so the page and the service
cannot disagree. They read the route as given: a service passes the route it has locked.
"""
from django.utils.translation import gettext as _

from engine.directory import rights
from engine.directory.models import Role

from .errors import DomainError, NotAllowed, RuleViolation, StateConflict
from .models import TaskRoute
from .services import check_separation, may_work


def _case(route):
    return route.case_type.model_class().objects.get(pk=route.case_id)


def _separation_refusal(user, route, case=None):
    """D3: the refusal if ``user`` may not work this case's task (prepared it, a party)."""
    try:
        check_separation(user, route, case if case is not None else _case(route))
    except DomainError as refusal:
        return refusal
    return None


def claim_refusal(actor, route, case=None):
    """A task is claimed from the queue of its department and role, by someone free of the case (D3)."""
    if not may_work(actor, route):
        return NotAllowed(_("This task is not in the queue of your department and role."))
    if route.state == TaskRoute.State.CLAIMED:
        if route.owner_id == actor.pk:
            return StateConflict(_("You have already claimed this task."), code="task_claimed")
        return StateConflict(_("This task has been claimed by someone else."), code="task_claimed")
    if route.state != TaskRoute.State.OPEN:
        return StateConflict(_("This task is already done or cancelled."), code="task_closed")
    return _separation_refusal(actor, route, case)


def release_refusal(actor, route):
    """A claimed task goes back to the queue by its owner or the department head; a task the
    flow gave to a person is never queued."""
    if route.state != TaskRoute.State.CLAIMED:
        return StateConflict(_("Only a task in progress can be returned to the queue."))
    if route.personal:
        return StateConflict(
            _("This task was assigned to you in person by the process and cannot be returned to the queue; to change its owner, ask the head of the department to reassign it."), code="task_personal"
        )
    if route.owner_id != actor.pk and not rights.has_role(actor, route.department_id, Role.HEAD):
        return NotAllowed(_("Only the owner or the head of the department can return this task."))
    return None


def reassign_refusal(actor, route):
    """Only the department head reassigns, and only a task still open."""
    if not route.is_open:
        return StateConflict(_("This task is already done or cancelled."), code="task_closed")
    if not rights.has_role(actor, route.department_id, Role.HEAD):
        return NotAllowed(_("Only the head of the department can reassign a task."))
    return None


def reassign_target_refusal(target, route, case=None):
    """The new holder has the task's role (an expert's role is city-wide) and is free of the case."""
    eligible = rights.is_expert(target) if route.role == Role.EXPERT else may_work(target, route)
    if not eligible:
        return RuleViolation(_("The new owner does not have the role this task needs."), fields={"user": [_("Wrong role.")]})
    return _separation_refusal(target, route, case)


def delegate_refusal(actor, route):
    """The owner of a claimed task lets one colleague work it, unless the flow gave it to them."""
    if route.state != TaskRoute.State.CLAIMED or route.owner_id != actor.pk:
        return NotAllowed(_("Only the owner of a task can delegate it."))
    if route.delegate_id:
        return StateConflict(_("This task is already delegated to someone else."))
    if route.personal:
        return StateConflict(_("This task was assigned to you in person by the process and cannot be delegated."), code="task_personal")
    return None


def delegate_target_refusal(actor, target, route, case=None):
    """The delegate is another member of the task's department, free of the case."""
    if target.pk == actor.pk:
        return RuleViolation(_("You cannot delegate to yourself."))
    if not rights.department_ids(target) & {route.department_id}:
        return RuleViolation(_("You can only delegate to someone in your department."), fields={"user": [_("Not in your department.")]})
    return _separation_refusal(target, route, case)


def _separated_among(route, case, people) -> set[int]:
    """``check_separation`` for many people in two queries at most (D3): the parties of the case
    and whoever completed a step this one is separated from."""
    ids = [p.pk for p in people]
    refused = case.parties_among(ids)
    names = route.task.flow_task.separate_from
    if "created_by" in names:
        refused |= {case.created_by_id} & set(ids)
    if steps := [n for n in names if n != "created_by"]:
        refused |= set(TaskRoute.objects.filter(
            case_type_id=route.case_type_id, case_id=route.case_id, node__in=steps, completed_by_id__in=ids,
        ).values_list("completed_by_id", flat=True))
    return refused


def reassign_targets(route, case, people) -> list:
    """Those of ``people`` for whom ``reassign_target_refusal`` is ``None``, in a fixed number of
    queries (the reassign picker). ``people`` carry ``roles_here``: their roles in the task's
    department, or ``expert`` for experts."""
    refused = _separated_among(route, case, people)
    if route.role == Role.EXPERT:
        eligible = [p for p in people if Role.EXPERT in p.roles_here]
    else:
        eligible = [p for p in people if route.role in p.roles_here or Role.HEAD in p.roles_here]
    return [p for p in eligible if p.pk not in refused]


def delegate_targets(actor, route, case, people) -> list:
    """Those of ``people`` for whom ``delegate_target_refusal`` is ``None`` (the delegate picker):
    department members other than the actor, free of the case."""
    refused = _separated_among(route, case, people)
    return [p for p in people if p.pk != actor.pk and p.in_department and p.pk not in refused]


def resolve_refusal(actor, route):
    """Only the delegate hands the task back."""
    if route.delegate_id != actor.pk:
        return NotAllowed(_("Only the delegate can hand this task back."))
    return None
