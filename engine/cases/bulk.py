"""Acting on many tasks (or records) at once: bulk claim, bulk reassign, bulk approve.

Each item goes through the same service as one at a time, in its own transaction, so one
refusal neither stops nor undoes the others; the answer is one ``Outcome`` per item saying
whether it succeeded and, if not, the refusal in the reader's language.
"""
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from . import actions, selectors
from .errors import DomainError, NotFound, RuleViolation
from .models import TaskRoute

MAX_ITEMS = 100  # one page of a list and more: a bulk action is chosen on a page


@dataclass
class Outcome:
    id: int
    reference: str
    ok: bool
    code: str = ""
    detail: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def item_ids(values) -> list[int]:
    """The ids chosen, each once, in the order given; a ``RuleViolation`` when there are none,
    too many, or one is not a number."""
    ids = []
    for value in values:
        try:
            pk = int(value)
        except (TypeError, ValueError):
            raise RuleViolation(_("Not a valid id: %(value)s.") % {"value": value},
                                fields={"tasks": [_("Not a valid id.")]}) from None
        if pk not in ids:
            ids.append(pk)
    if not ids:
        raise RuleViolation(_("Choose at least one item."), fields={"tasks": [_("Required.")]})
    if len(ids) > MAX_ITEMS:
        raise RuleViolation(_("Choose at most %(n)d items at once.") % {"n": MAX_ITEMS},
                            fields={"tasks": [_("Too many.")]})
    return ids


def run_each(items, work) -> list[Outcome]:
    """``work(item)`` for each ``(id, reference, item)``; a refusal is that item's outcome."""
    outcomes = []
    for pk, reference, item in items:
        try:
            work(item)
        except DomainError as refusal:
            outcomes.append(Outcome(pk, reference, False, refusal.code, str(refusal.message)))
        else:
            outcomes.append(Outcome(pk, reference, True))
    return outcomes


def _on_tasks(actor, task_ids, work) -> list[Outcome]:
    """``work(route)`` on each task ``actor`` may see; a task they may not see is answered as
    one that does not exist (no reference shown)."""
    ids = item_ids(task_ids)
    routes = TaskRoute.objects.select_related("department").in_bulk(ids)
    outcomes = []
    for pk in ids:
        route = routes.get(pk)
        if route is None or not selectors.task_visible(actor, route):
            refusal = NotFound(_("No such task."))
            outcomes.append(Outcome(pk, "", False, refusal.code, str(refusal.message)))
        else:
            outcomes.extend(run_each([(pk, route.reference, route)], work))
    return outcomes


def bulk_claim(*, actor, task_ids) -> list[Outcome]:
    """Claim each task from the queue (``actions.task_claim``: D1, D3 checked per task)."""
    return _on_tasks(actor, task_ids, lambda route: actions.task_claim(actor=actor, task_id=route.pk))


def bulk_reassign(*, actor, task_ids, user_id, reason="") -> list[Outcome]:
    """The department head gives each task to ``user_id`` (``actions.task_reassign``)."""
    return _on_tasks(actor, task_ids, lambda route: actions.task_reassign(
        actor=actor, task_id=route.pk, user_id=user_id, reason=reason))


def summary(outcomes) -> str:
    """One line for the page: how many succeeded and how many did not."""
    done = sum(1 for o in outcomes if o.ok)
    return _("%(done)d done, %(failed)d not done.") % {"done": done, "failed": len(outcomes) - done}
