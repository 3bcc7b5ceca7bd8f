"""Giving a locked route to a person, and the audit event of a task action: the primitives the
queue actions (``actions``) and a step's implicit claim (``services.case_step``) share. They
check nothing: callers have checked the actor's right and hold the route's row lock."""
from viewflow.workflow.status import STATUS

from engine.audit.services import audit_record

from .models import TaskRoute


def audit_task(route, actor, action, before, after, reason=""):
    audit_record(
        actor=actor, action=f"task.{action}", object_type="cases.taskroute", object_id=route.pk,
        reference=route.reference, before=before, after=after, reason=reason,
    )


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


def claim_route(route, actor):
    """Give an open, locked route to ``actor`` and record it (rights already checked)."""
    assign_route(route, actor)
    audit_task(route, actor, "claim", {"state": "open"}, {"state": "claimed", "owner": actor.pk})
