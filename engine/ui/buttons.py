"""Which task buttons the workbench shows: exactly the actions the services would accept.

Every answer comes from the rule the service itself applies (``engine.cases.task_rights``), so
a button is never offered for a refused action, nor hidden for an allowed one. The people
offered for a reassignment or a delegation are those the same rules accept as the new holder.
"""
from django.db.models import Q

from engine.cases import task_rights
from engine.directory.models import Membership, Role


def _candidates(user, route):
    """Who could take the task over: experts for an expert's task (a city-wide role), else the
    members of the task's department; never the user or the current owner. Each person carries
    ``roles_here`` and ``in_department`` for the rules in ``task_rights``; one query."""
    memberships = Membership.objects.filter(user__is_active=True).exclude(user_id__in=[user.pk, route.owner_id or 0])
    memberships = (memberships.filter(Q(role=Role.EXPERT) | Q(department_id=route.department_id))
                   if route.role == Role.EXPERT else memberships.filter(department_id=route.department_id))
    people = {}
    for membership in memberships.select_related("user").order_by("user__username"):
        person = people.setdefault(membership.user_id, membership.user)
        person.__dict__.setdefault("roles_here", set())
        person.in_department = getattr(person, "in_department", False) or membership.department_id == route.department_id
        if membership.role == Role.EXPERT or membership.department_id == route.department_id:
            person.roles_here.add(membership.role)
    return list(people.values())


def task_buttons(user, route, case) -> dict:
    """``can_<action>`` for claim, release, reassign, delegate and resolve, and the people each
    of reassign and delegate may hand the task to (``reassign_to``, ``delegate_to``), in a fixed
    number of queries whatever the size of the department."""
    may_reassign = task_rights.reassign_refusal(user, route) is None
    may_delegate = task_rights.delegate_refusal(user, route) is None
    candidates = _candidates(user, route) if may_reassign or may_delegate else []
    reassign_to = task_rights.reassign_targets(route, case, candidates) if may_reassign else []
    delegate_to = task_rights.delegate_targets(user, route, case, candidates) if may_delegate else []
    return {
        "can_claim": task_rights.claim_refusal(user, route, case) is None,
        "can_release": task_rights.release_refusal(user, route) is None,
        "can_reassign": bool(reassign_to),
        "can_delegate": bool(delegate_to),
        "can_resolve": task_rights.resolve_refusal(user, route) is None,
        "reassign_to": reassign_to,
        "delegate_to": delegate_to,
    }
