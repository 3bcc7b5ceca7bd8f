"""Expert panels, as the processes that score use them (incubation I2, procurement P5).

Each expert of a panel holds a personal scoring task (``steps.PersonalSplit`` and
``PersonalStep``) and scores independently; the panel's score is the mean of the experts'
sheets, to the cent. An expert who declares a conflict of interest (D3) keeps the task until
the department head reassigns it to another expert (``actions.task_reassign``, which checks
the new expert the same way); the head is asked to. What counts as a conflict and what a
sheet holds are each process's own rules.
"""
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext_lazy

from engine.audit.services import audit_record
from engine.directory.models import Membership, Role
from engine.notifications.services import Text, notify

from .models import TaskRoute

CENT = Decimal("0.01")


def panel_average(scores) -> Decimal:
    """The mean of the experts' scores, rounded half up to the cent; ``scores`` is not empty."""
    scores = list(scores)
    return (sum(scores) / len(scores)).quantize(CENT, ROUND_HALF_UP)


def expert_task(model, case_id, expert, *, node: str = "score") -> TaskRoute | None:
    """The open scoring task ``expert`` holds on the case, locked; None when they hold none.
    Taken before the case row (the engine's lock order: route, then case)."""
    return TaskRoute.objects.select_for_update().filter(
        case_type=ContentType.objects.get_for_model(model), case_id=case_id, node=node, owner=expert,
        state__in=[TaskRoute.State.OPEN, TaskRoute.State.CLAIMED],
    ).order_by("pk").first()


def recusal_record(*, case, route, expert, statement: str, action: str, after: dict, body):
    """D3: write the expert's declaration to the audit trail and, once committed, ask the heads
    of the task's department to reassign the task (``body`` says to whom it was given)."""
    audit_record(actor=expert, action=action, obj=case, reason=statement,
                 before={"status": case.status, "task": route.pk},
                 after={"status": case.status, "expert": expert.pk, **after})
    heads = [m.user for m in Membership.objects.filter(department_id=route.department_id, role=Role.HEAD)
             .select_related("user")]
    transaction.on_commit(lambda: notify(
        heads, kind="task.escalated", reference=case.reference,
        title=Text(gettext_lazy("An expert declared a conflict of interest, please reassign: %(ref)s"), ref=case.reference),
        body=body, link=route.get_absolute_url()))
