"""Which task buttons the workbench shows: exactly the actions the services would accept.

Every answer comes from the rule the service itself applies (``engine.cases.task_rights``), so
a button is never offered for a refused action, nor hidden for an allowed one. The people
offered for a reassignment or a delegation are those the same rules accept as the new holder.
"""
from django.contrib.auth import get_user_model

from engine.cases import task_rights
from engine.directory.models import Role


def _candidates(user, route):
    """Who could take the task over: another expert for an expert's task (a city-wide role),
    else a member of the task's department; never the user or the current owner."""
    people = get_user_model().objects.filter(is_active=True)
    people = (people.filter(memberships__role=Role.EXPERT) if route.role == Role.EXPERT
              else people.filter(memberships__department_id=route.department_id))
    return people.exclude(pk__in=[user.pk, route.owner_id or 0]).distinct().order_by("username")


def task_buttons(user, route, case) -> dict:
    """``can_<action>`` for claim, release, reassign, delegate and resolve, and the people each
    of reassign and delegate may hand the task to (``reassign_to``, ``delegate_to``)."""
    may_reassign = task_rights.reassign_refusal(user, route) is None
    may_delegate = task_rights.delegate_refusal(user, route) is None
    candidates = list(_candidates(user, route)) if may_reassign or may_delegate else []
    reassign_to = [p for p in candidates if may_reassign
                   and task_rights.reassign_target_refusal(p, route, case) is None]
    delegate_to = [p for p in candidates if may_delegate
                   and task_rights.delegate_target_refusal(user, p, route, case) is None]
    return {
        "can_claim": task_rights.claim_refusal(user, route, case) is None,
        "can_release": task_rights.release_refusal(user, route) is None,
        "can_reassign": bool(reassign_to),
        "can_delegate": bool(delegate_to),
        "can_resolve": task_rights.resolve_refusal(user, route) is None,
        "reassign_to": reassign_to,
        "delegate_to": delegate_to,
    }
