"""The exchange (T5–T7): organizations publish services; a volunteer redeems one (hours held
at once), the provider confirms delivery (hours move to it) or declines (hold released); the
volunteer may cancel while it waits; unanswered by the due time, it expires (released)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.audit.services import audit_record
from engine.cases.actions import open_routes_for_case
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.cases.numbering import case_creation
from engine.cases.routing import fix_due_time, reroute
from engine.cases.services import cancel_open_tasks, case_of_task, case_transition
from engine.directory import rights
from engine.directory.models import District, Organization
from engine.notifications.services import Text, notify
from engine.workdays.calendar import add_working_days
from processes.certification.models import Volunteer
from processes.certification.services.inputs import bounded_text, parse_hours
from processes.certification.services.routing import hand_to_organization, organization_step, responsible

from .. import conf
from ..flows import RedemptionFlow
from ..models import Account, ExchangeService, LedgerTransaction, Redemption
from .ledger import move, organization_account, volunteer_account

Kind = LedgerTransaction.Kind


def _volunteer_of(actor) -> Volunteer:
    volunteer = Volunteer.objects.filter(user=actor).first() if getattr(actor, "is_authenticated", False) else None
    if volunteer is None:
        raise NotAllowed(_("Only a registered volunteer has a time account."), code="not_a_volunteer")
    return volunteer


@transaction.atomic
def service_publish(*, actor, provider_id, title, hours, description="", district=None) -> ExchangeService:
    """T5: a manager of a community or organization publishes a service offered for hours."""
    provider = Organization.objects.filter(pk=provider_id, status=Organization.Status.ACTIVE).first()
    if provider is None or provider.pk not in rights.organization_ids(actor, managers_only=True):
        raise NotAllowed(_("Only a manager of the providing organization can publish its services."))
    title = bounded_text(title, "title", 100).strip()
    if not title:
        raise RuleViolation(_("Name the service."), fields={"title": [_("Required.")]})
    if district not in (None, ""):
        district = District.objects.filter(pk=district).first() if str(district).isdigit() else \
            District.objects.filter(code=district).first()
        if district is None:
            raise RuleViolation(_("No such district."), fields={"district": [_("No such district.")]})
    else:
        district = None
    service = ExchangeService.objects.create(
        provider=provider, title=title, description=bounded_text(description, "description"),
        hours=parse_hours(hours), district=district, created_by=actor)
    audit_record(actor=actor, action="timebank.service.publish", obj=service, reference=provider.name[:64],
                 after={"title": service.title, "hours": service.hours})
    return service


@transaction.atomic
def service_withdraw(*, actor, service_id) -> ExchangeService:
    """T5: the provider takes a service off the catalogue; open redemptions stay to be answered."""
    service = ExchangeService.objects.select_for_update().filter(pk=service_id).first()
    if service is None or service.provider_id not in rights.organization_ids(actor):
        raise NotFound(_("No such service."))
    if service.provider_id not in rights.organization_ids(actor, managers_only=True):
        raise NotAllowed(_("Only a manager of the providing organization can publish its services."))
    if not service.is_active:
        raise StateConflict(_("The service is already withdrawn."))
    service.is_active = False
    service.save(update_fields=["is_active"])
    audit_record(actor=actor, action="timebank.service.withdraw", obj=service, reference=service.provider.name[:64],
                 before={"is_active": True}, after={"is_active": False})
    return service


@case_creation()
def redeem(*, actor, service_id, note="") -> Redemption:
    """T5–T6: the volunteer exchanges hours for a service. The account is locked first, so
    concurrent redemptions queue and none overdraws it (T2); hours owed block any redemption
    (T8). The hours are held and the redemption becomes a case: its answer is a task in the
    provider's supervising department's queue, handed to the provider's managers (R1), who are
    told, due in ``TIMEBANK_REDEMPTION_ANSWER_DAYS`` working days (T6, D2)."""
    volunteer = _volunteer_of(actor)
    note = bounded_text(note, "note")
    service = ExchangeService.objects.select_related("provider").filter(pk=service_id).first()
    if service is None:
        raise NotFound(_("No such service."))
    if not service.is_active or service.provider.status != Organization.Status.ACTIVE:
        raise StateConflict(_("The service is no longer offered."), code="service_closed")
    account = volunteer_account(volunteer)
    if account.debt > 0:
        raise StateConflict(_("Hours are owed from a corrected record (%(debt)s hours); they are settled from your next credited hours before you can redeem.")
                            % {"debt": account.debt}, code="hours_owed")
    if account.balance < service.hours:
        raise StateConflict(_("Not enough hours in the time account: %(balance)s hours available.")
                            % {"balance": account.balance}, code="insufficient_hours")
    now = timezone.now()
    days = conf.answer_days()
    due_at, _provisional = add_working_days(now, days)
    handler, department = responsible(service.provider)
    redemption = Redemption.objects.create(
        department=department, created_by=actor, volunteer=volunteer, service=service, provider=service.provider,
        handler=handler, hours=service.hours, note=note, due_at=due_at, created_at=now)
    held = organization_account(service.provider, Account.Kind.HELD)
    move(Kind.HOLD, [(account, -service.hours), (held, service.hours)], actor=actor, redemption=redemption,
         memo=service.title)
    audit_record(actor=actor, action="timebank.redemption.create", obj=redemption,
                 after={"status": redemption.status, "hours": redemption.hours, "service": service.title,
                        "due_at": due_at, "balance": account.balance, "department": department.code})
    RedemptionFlow.start.run(case=redemption)
    fix_due_time(redemption, due_at, days)  # T6: the answer time told the volunteer, and the expiry's
    hand_to_organization(redemption, handler)
    return redemption


def _find(reference) -> Redemption:
    redemption = Redemption.objects.select_related("provider").filter(reference=reference).first()
    if redemption is None:
        raise NotFound(_("No such redemption."))
    return redemption


def _release(redemption, actor):
    account = volunteer_account(redemption.volunteer)
    held = organization_account(redemption.provider, Account.Kind.HELD)
    move(Kind.RELEASE, [(held, -redemption.hours), (account, redemption.hours)], actor=actor,
         redemption=redemption, memo=redemption.service.title)
    return account


def _tell_volunteer(redemption, message):
    user = redemption.volunteer.user
    if user is not None:
        transaction.on_commit(lambda: notify(
            [user], title=Text(message, service=redemption.service.title, reference=redemption.reference),
            link=reverse("portal:section", args=["timebank"]), kind="timebank", reference=redemption.reference))


def _check_provider(actor, redemption):
    """A member of the provider or of the organization answering for it sees the redemption;
    only a manager of the answering organization answers it (R1, R9)."""
    if not {redemption.provider_id, redemption.handler_id} & rights.organization_ids(actor):
        raise NotFound(_("No such redemption."))
    if redemption.handler_id not in rights.organization_ids(actor, managers_only=True):
        raise NotAllowed(_("Only a manager of the providing organization can answer a redemption."))


def _not_handled_this_way(redemption):
    return StateConflict(_("The redemption is “%(s)s” and cannot be handled this way.")
                         % {"s": redemption.get_status_display()})


def _provider_answers(actor, redemption, decision, reason):
    """The answer as the case's step, by a manager of the organization that answers for the
    provider now (R1, R9); locks: the task's route, the redemption, then the volunteer's account."""
    return organization_step(redemption, actor=actor, organization=redemption.handler, decision=decision,
                             action=f"timebank.redemption.{decision}", reason=reason,
                             check=lambda case, who: _check_provider(who, case))


def _confirm(actor, redemption, reason) -> Redemption:
    reason = bounded_text(reason, "reason")
    with _provider_answers(actor, redemption, "confirm", reason) as step:
        case = step.case
        case.deliver(actor, reason)
        held = organization_account(case.provider, Account.Kind.HELD)
        received = organization_account(case.provider, Account.Kind.RECEIVED)
        move(Kind.CONFIRM, [(held, -case.hours), (received, case.hours)], actor=actor,
             redemption=case, memo=case.service.title)
    _tell_volunteer(step.case, gettext_lazy("%(service)s was delivered; the hours of %(reference)s are spent."))
    return step.case


def _decline(actor, redemption, reason) -> Redemption:
    reason = bounded_text(reason, "reason")
    if not reason.strip():
        raise RuleViolation(_("Give the reason for declining."), fields={"reason": [_("Required.")]})
    with _provider_answers(actor, redemption, "decline", reason) as step:
        step.case.decline(actor, reason)
        step.audit_after["balance"] = _release(step.case, actor).balance
    _tell_volunteer(step.case, gettext_lazy("%(service)s was declined; the hours of %(reference)s are back in your account."))
    return step.case


def redemption_confirm(*, actor, reference, reason="") -> Redemption:
    """T6: a manager of the provider confirms it delivered the service: the held hours move
    to it. From the portal and the API, by reference."""
    redemption = _find(reference)
    _check_provider(actor, redemption)
    return _confirm(actor, redemption, reason)


def redemption_decline(*, actor, reference, reason="") -> Redemption:
    """T6: a manager of the provider declines, with a reason: the hold goes back to the volunteer."""
    redemption = _find(reference)
    _check_provider(actor, redemption)
    return _decline(actor, redemption, reason)


def redemption_confirm_task(*, actor, task_id, reason="", data=None) -> Redemption:
    """The confirmation as a queue task (workbench, tasks API): the provider's managers, or the
    supervising department's staff when no organization answers for the provider (R9)."""
    return _confirm(actor, case_of_task(task_id, Redemption.objects.select_related("provider")), reason)


def redemption_decline_task(*, actor, task_id, reason="", data=None) -> Redemption:
    """The refusal as a queue task (see ``redemption_confirm_task``)."""
    return _decline(actor, case_of_task(task_id, Redemption.objects.select_related("provider")), reason)


def _closing(redemption, actor, action, reason, check, change):
    """Cancel and expiry: no task stands for them; the open task is closed with the case."""
    with case_transition(model=Redemption, pk=redemption.pk, actor=actor, action=action, reason=reason,
                         check=check) as step:
        change(step.case)
        cancel_open_tasks(step.case, actor)
        step.audit_after["balance"] = _release(step.case, actor).balance
    return step.case


def redemption_cancel(*, actor, reference, reason="") -> Redemption:
    """T6: the volunteer withdraws a redemption the provider has not answered: hold released."""
    reason = bounded_text(reason, "reason")
    redemption = _find(reference)

    def check(case, actor):
        if case.volunteer.user_id != getattr(actor, "pk", None):
            raise NotFound(_("No such redemption."))

    return _closing(redemption, actor, "timebank.redemption.cancel", reason, check,
                    lambda case: case.cancel(actor, reason))


def redemption_expire(*, redemption_id, now=None) -> Redemption | None:
    """T6: not answered by its due time, the redemption expires and the hold is released.
    Idempotent: one already answered or not yet due is left alone (None)."""
    now = now or timezone.now()
    redemption = Redemption.objects.filter(pk=redemption_id, status=Redemption.Status.HELD, due_at__lte=now).first()
    if redemption is None:
        return None

    def check(case, actor):
        if case.status != Redemption.Status.HELD:
            raise _not_handled_this_way(case)

    try:
        redemption = _closing(redemption, None, "timebank.redemption.expire", "", check, lambda case: case.expire())
    except StateConflict:
        return None  # answered or cancelled meanwhile
    _tell_volunteer(redemption, gettext_lazy("%(service)s was not answered in time; the hours of %(reference)s are back in your account."))
    return redemption


def redemption_reroute(*, redemption_id) -> bool:
    """R9 for a waiting redemption whose provider merged or dissolved: its task goes to
    whoever answers for the provider now (the successor's managers, else the supervising
    department's staff queue), keeping its due time (T6); a task already escalated stays with
    the superior department (D2). False, and nothing written, when there is nothing to move."""
    def moves(case, _actor):
        if case.status != Redemption.Status.HELD or responsible(case.provider) == (case.handler, case.department):
            raise _NothingToMove

    reason = _("The providing organization was merged or dissolved")
    try:
        with case_transition(model=Redemption, pk=redemption_id, actor=None, action="timebank.redemption.reroute",
                             reason=reason, check=moves) as step:
            case = step.case
            handler, department = responsible(case.provider)
            step.audit_after.update({"handler": getattr(handler, "pk", None), "department": department.code,
                                     "previous_handler": case.handler_id, "previous_department": case.department.code})
            for route in open_routes_for_case(case).filter(escalation_level=0).select_related("task", "department"):
                reroute(route, department, reason=reason)
            case.handler, case.department = handler, department
            hand_to_organization(case, handler)
    except _NothingToMove:
        return False
    return True


class _NothingToMove(Exception):
    """The redemption is answered already, or already with whoever answers for the provider."""


@transaction.atomic
def hours_transfer(*, actor, to_volunteer_number, to_id_number, hours, relationship) -> LedgerTransaction:
    """T7: with ``TIMEBANK_FAMILY_TRANSFER`` on, a volunteer gives hours to a family member,
    named by volunteer number and ID number together (as the person hands them over) and the
    declared relationship. Off (the default), nobody can. Hours owed block it (T8)."""
    if not conf.family_transfer_enabled():
        raise NotAllowed(_("Giving hours to a family member is not enabled."), code="transfer_disabled")
    volunteer = _volunteer_of(actor)
    hours = parse_hours(hours)
    relationship = bounded_text(relationship, "relationship", 50).strip()
    if not relationship:
        raise RuleViolation(_("State the family relationship."), fields={"relationship": [_("Required.")]})
    target = Volunteer.objects.filter(volunteer_number=(to_volunteer_number or "").strip().upper(),
                                      id_number=(to_id_number or "").strip().upper()).first()
    if target is None or target.pk == volunteer.pk:
        raise RuleViolation(_("No volunteer with that number and ID number."), fields={"to_volunteer_number": [_("Not found.")]})
    first, second = sorted([volunteer, target], key=lambda v: v.pk)  # one lock order everywhere
    accounts = {first.pk: volunteer_account(first), second.pk: volunteer_account(second)}
    giver, receiver = accounts[volunteer.pk], accounts[target.pk]
    if giver.debt > 0:
        raise StateConflict(_("Hours are owed from a corrected record (%(debt)s hours); they are settled from your next credited hours before you can redeem.")
                            % {"debt": giver.debt}, code="hours_owed")
    tx = move(Kind.TRANSFER, [(giver, -hours), (receiver, hours)], actor=actor,
              memo=_("To %(name)s (%(relationship)s)") % {"name": target.real_name, "relationship": relationship})
    audit_record(actor=actor, action="timebank.transfer", obj=tx, reference=volunteer.volunteer_number,
                 after={"to": target.volunteer_number, "hours": hours, "relationship": relationship,
                        "balance": giver.balance})
    return tx
