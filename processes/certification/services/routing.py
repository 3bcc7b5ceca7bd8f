"""How an organization works a task that waits in a department's queue (R1, R9).

Queues belong to departments; the issuer is an organization. A task an organization must do
is routed to its supervising department's staff queue and, in the same transaction, assigned
to one of the organization's managers, so it shows in their inbox. Any manager of that
organization may take it over (``organization_takes_task``). While an organization answers,
only it may work the task (R1); when none does any more (dissolved with no successor), or it
has no manager with an account, the supervising department's staff work it from their queue
(R9). Once the task is escalated for being overdue (D2), the department whose queue it then
waits in may work it as well.
"""
from contextlib import contextmanager

from django.db import transaction
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.audit.services import audit_record
from engine.cases.actions import assign_route, open_routes_for_case
from engine.cases.errors import NotAllowed
from engine.cases.routing import reroute
from engine.cases.services import case_step, case_transition, lock_route, may_work
from engine.directory import rights
from engine.directory.models import Organization, OrganizationMember
from engine.directory.services import responsible_unit
from engine.notifications.services import Text, notify

from ..models import Dispute


def organization_managers(organization):
    if organization is None:
        return []
    return [
        m.user for m in OrganizationMember.objects.filter(
            organization=organization, role=OrganizationMember.Role.MANAGER, user__is_active=True,
        ).select_related("user").order_by("pk")
    ]


def managers_by_organization(organization_ids) -> dict[int, list]:
    """The active managers of each organization, in one query (the reminders of many cases)."""
    managers: dict[int, list] = {}
    for m in OrganizationMember.objects.filter(organization_id__in=organization_ids, user__is_active=True,
                                               role=OrganizationMember.Role.MANAGER).select_related("user"):
        managers.setdefault(m.organization_id, []).append(m.user)
    return managers


def is_manager(user, organization) -> bool:
    return organization is not None and organization.pk in rights.organization_ids(user, managers_only=True)


def hand_to_organization(case, organization):
    """Assign the case's open, unowned tasks to the organization's first manager and tell all
    of its managers, with a link to the case's process page in the portal (certification's
    requests and disputes, the time bank's redemptions). Call inside the transaction that
    created the tasks."""
    managers = organization_managers(organization)
    if not managers:
        return
    for route in open_routes_for_case(case).filter(owner__isnull=True).select_related("task"):
        assign_route(route, managers[0])
        _audit_assignment(route, managers[0], "task.assign", organization)
        notify(
            managers, kind=f"{case.PROCESS_NAME}.task", reference=case.reference,
            title=Text(gettext_lazy("To do: %(ref)s %(step)s"), ref=case.reference, step=route.step_title),
            body=lazy(case.case_title, str)(), link=reverse("portal:section", args=[case.PROCESS_NAME]),
        )


def organization_takes_task(*, task_id, actor, organization):
    """Before ``case_step``: a manager of ``organization`` takes the task over (R1); anyone
    else is refused while an organization answers. With no organization (R9 fallback) the
    engine's queue rights apply unchanged."""
    route = lock_route(task_id)
    if organization is None or not organization_managers(organization):
        return route  # no organization (or none with an account) answers: the queue's staff work it
    if route.escalation_level and not is_manager(actor, organization) and may_work(actor, route):
        return route  # overdue and escalated (D2): the superior department may step in
    if not is_manager(actor, organization):
        raise NotAllowed(_("This is handled by %(org)s (whoever records, certifies).") % {"org": organization.name})
    if route.is_open and route.holder_id != actor.pk:
        assign_route(route, actor)
        _audit_assignment(route, actor, "task.claim", organization)
    return route


@contextmanager
def organization_step(case, *, actor, organization, decision, action, check, reason=""):
    """An organization works its case's one open task (R1): taken over by the acting manager
    of ``organization`` (``organization_takes_task``) and finished with ``decision`` in
    ``case_step`` (locks: the route, then the case). A case made before its process had a task
    has none: the same change is a ``case_transition``, ``check(case, actor)`` first. The
    caller's block makes the change on ``step.case``."""
    route_id = open_routes_for_case(case).values_list("pk", flat=True).first()
    if route_id is None:
        with case_transition(model=type(case), pk=case.pk, actor=actor, action=action, reason=reason,
                             check=check) as step:
            yield step
        return
    with transaction.atomic():
        organization_takes_task(task_id=route_id, actor=actor, organization=organization)
        with case_step(task_id=route_id, actor=actor, decision=decision, reason=reason, action=action) as step:
            yield step


def _audit_assignment(route, user, action, organization):
    audit_record(actor=user if action == "task.claim" else None, action=action, object_type="cases.taskroute",
                 object_id=route.pk, reference=route.reference,
                 after={"state": route.state, "owner": user.pk, "organization": organization.pk})


def responsible(organization):
    """R9 on fresh rows: (organization that answers now or None, department)."""
    return responsible_unit(Organization.objects.get(pk=organization.pk))


ORG_NODES = ("verify", "seal", "organizer_review")


def reroute_case(case, actor=None) -> bool:
    """R9 after the fact: the handling organization merged or dissolved while the case was
    open. The case and its open organization steps move to whoever answers now (successor
    chain, else the supervising department's queue); each moved task has its own event.
    Call with the case row locked."""
    handler, department = responsible(case.organization)
    if handler == case.handling_organization and department == case.department:
        return False
    before = {"handler": case.handling_organization_id, "department": case.department.code}
    case.handling_organization, case.department = handler, department
    fields = ["handling_organization", "department"]
    if hasattr(case, "supervisor") and case.status == Dispute.Status.ORGANIZER_REVIEW:
        case.supervisor = department
        fields.append("supervisor")
    case.save(update_fields=fields)
    reason = _("The handling organization was merged or dissolved")
    routes = open_routes_for_case(case).filter(node__in=ORG_NODES, escalation_level=0)
    for route in routes.select_related("task", "department"):
        reroute(route, department, actor=actor, reason=reason)
    hand_to_organization(case, handler)
    audit_record(actor=actor, action="certification.reroute", obj=case, before=before,
                 after={"handler": getattr(handler, "pk", None), "department": department.code}, reason=reason)
    return True


def ensure_current_handler(case):
    """Before an organization works a step: follow R9 if its organization is gone."""
    org = case.handling_organization
    if org is not None and not org.is_active:
        locked = type(case).objects.select_for_update().select_related("organization", "department").get(pk=case.pk)
        reroute_case(locked)
        return locked
    return case
