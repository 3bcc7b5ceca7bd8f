"""The SLA sweep (D2): flag overdue tasks and tell the head; escalate those still overdue.

Idempotent: each route carries ``overdue_at`` and ``escalated_at``; the sweep only touches
rows where the step has not happened yet, under ``select_for_update(skip_locked=True)`` so
two sweeps never act on one route twice.
"""
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.audit.services import audit_record
from engine.directory.models import Membership, Role
from engine.notifications.services import Text, notify
from engine.workdays.calendar import add_working_days

from .models import TaskRoute
from .routing import escalation_time, reroute

log = logging.getLogger(__name__)
BATCH = 500


def _heads(department):
    return [m.user for m in Membership.objects.filter(department=department, role=Role.HEAD).select_related("user")]


def flag_overdue(now=None) -> int:
    """Mark newly overdue tasks and notify their department's head once."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        routes = (
            TaskRoute.objects.open().filter(due_at__lt=now, overdue_at__isnull=True)
            .select_for_update(skip_locked=True, of=("self",)).select_related("department")[:BATCH]
        )
        for route in routes:
            route.overdue_at = now
            route.escalate_after = escalation_time(route.due_at)
            route.save(update_fields=["overdue_at", "escalate_after"])
            notify(
                _heads(route.department), kind="task.overdue", reference=route.reference,
                # rendered in each head's language (the sweep has no reader of its own)
                title=Text(gettext_lazy("Task overdue: %(ref)s %(step)s"), ref=route.reference, step=route.step_title),
                body=Text(gettext_lazy("The task “%(step)s” of %(dept)s is past its due date %(due)s."),
                          dept=route.department.name, step=route.step_title,
                          due=timezone.localtime(route.due_at).strftime("%Y-%m-%d %H:%M")),
                link=route.get_absolute_url(),
            )
            audit_record(
                actor=None, action="task.overdue", object_type="cases.taskroute", object_id=route.pk,
                reference=route.reference, after={"due_at": route.due_at, "overdue_at": now},
            )
            count += 1
    return count


def escalate(now=None) -> int:
    """Move tasks still overdue after the further period to the parent department's queue,
    or hand them to the step's own escalation service when it declares one."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        routes = (
            TaskRoute.objects.open().filter(escalate_after__lt=now, escalated_at__isnull=True)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("department", "department__parent", "task")[:BATCH]
        )
        for route in routes:
            step = route.task.flow_task
            route.escalated_at = now
            route.save(update_fields=["escalated_at"])
            if getattr(step, "on_escalate", None):
                import_string(step.on_escalate)(route=route, now=now)
            else:
                _escalate_to_parent(route, now)
            count += 1
    return count


def _escalate_to_parent(route, now):
    parent = route.department.parent
    if route.personal:
        _remind_about_personal_task(route, parent)
        return
    if parent is None:
        return
    reroute(route, parent, action="task.escalate", reason=_("Escalated as overdue"), escalation=True)
    notify(
        _heads(parent), kind="task.escalated", reference=route.reference,
        title=Text(gettext_lazy("Overdue task escalated: %(ref)s %(step)s"), ref=route.reference, step=route.step_title),
        body=Text(gettext_lazy("%(from)s did not finish it in time; it has been escalated to your department's queue."),
                  **{"from": route.escalated_from.name}),
        link=route.get_absolute_url(),
    )


def _remind_about_personal_task(route, parent):
    """A task the flow gave to one person (an expert) cannot move to another queue; its
    department's and the parent's heads are told, and the department head may reassign it."""
    heads = _heads(route.department) + (_heads(parent) if parent else [])
    notify(
        heads, kind="task.escalated", reference=route.reference,
        title=Text(gettext_lazy("Overdue task needs reassigning: %(ref)s %(step)s"), ref=route.reference,
                   step=route.step_title),
        body=Text(gettext_lazy("The task assigned to %(owner)s is still not done; please follow it up or reassign it."),
                  owner=route.owner),
        link=route.get_absolute_url(),
    )
    audit_record(
        actor=None, action="task.escalate", object_type="cases.taskroute", object_id=route.pk,
        reference=route.reference, after={"reminded": [h.pk for h in heads]}, reason=_("Escalated as overdue"),
    )


def sweep(now=None) -> dict:
    return {"overdue": flag_overdue(now), "escalated": escalate(now)}


def recompute_provisional_due_times(year: int) -> int:
    """Once ``year``'s official holidays are loaded, recompute provisional due times of open
    tasks from their creation and SLA; each stays provisional only if it still needs a year
    that is not official."""
    count = 0
    with transaction.atomic():
        for route in TaskRoute.objects.open().filter(due_provisional=True).select_for_update():
            due, provisional = add_working_days(route.created_at, route.sla_working_days)
            if route.escalated_from_id is None and (due, provisional) != (route.due_at, route.due_provisional):
                audit_record(
                    actor=None, action="task.due_recomputed", object_type="cases.taskroute",
                    object_id=route.pk, reference=route.reference,
                    before={"due_at": route.due_at, "provisional": route.due_provisional},
                    after={"due_at": due, "provisional": provisional}, reason=_("Official holiday schedule for %(year)s loaded") % {"year": year},
                )
                route.due_at, route.due_provisional = due, provisional
                route.save(update_fields=["due_at", "due_provisional"])
                count += 1
    return count
