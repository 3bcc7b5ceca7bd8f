"""The exchange (T5–T7): organizations publish services; a volunteer redeems one (hours held
at once), the provider confirms delivery (hours move to it) or declines (hold released); the
volunteer may cancel while it waits; unanswered by the due time, it expires (released)."""
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import TransitionNotAllowed

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.cases.models import format_reference, next_number
from engine.directory import rights
from engine.directory.models import District, Organization
from engine.notifications.services import Text, notify
from engine.workdays.calendar import add_working_days
from processes.certification.models import Volunteer
from processes.certification.services.inputs import bounded_text, parse_hours
from processes.certification.services.routing import organization_managers

from .. import conf
from ..models import Account, ExchangeService, LedgerTransaction, Redemption
from .ledger import move, organization_account, volunteer_account

Kind = LedgerTransaction.Kind
REFERENCE_PREFIX = "SJ"  # 时间 (time bank) redemptions: SJ-2026-000001


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


@transaction.atomic
def redeem(*, actor, service_id, note="") -> Redemption:
    """T5–T6: the volunteer exchanges hours for a service. The account is locked first, so
    concurrent redemptions queue and none overdraws it (T2); hours owed block any redemption
    (T8). The hours are held until the provider answers; its managers are told."""
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
    due_at, _provisional = add_working_days(now, conf.answer_days())
    year = timezone.localdate(now).year
    redemption = Redemption.objects.create(
        reference=format_reference(REFERENCE_PREFIX, year, next_number(REFERENCE_PREFIX, year)),
        volunteer=volunteer, service=service, provider=service.provider, hours=service.hours, note=note,
        due_at=due_at, created_at=now)
    held = organization_account(service.provider, Account.Kind.HELD)
    move(Kind.HOLD, [(account, -service.hours), (held, service.hours)], actor=actor, redemption=redemption,
         memo=service.title)
    audit_record(actor=actor, action="timebank.redemption.create", obj=redemption,
                 after={"status": redemption.status, "hours": redemption.hours, "service": service.title,
                        "due_at": due_at, "balance": account.balance})
    managers = organization_managers(service.provider)
    transaction.on_commit(lambda: notify(
        managers, title=Text(gettext_lazy("A volunteer redeemed hours for %(service)s"), service=service.title),
        body=Text(gettext_lazy("Redemption %(reference)s: confirm delivery or decline by %(due)s."),
                  reference=redemption.reference, due=timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M")),
        link=reverse("portal:section", args=["timebank"]), kind="timebank", reference=redemption.reference))
    return redemption


def _lock(reference) -> Redemption:
    redemption = (Redemption.objects.select_for_update(of=("self",)).select_related("volunteer", "service", "provider")
                  .filter(reference=reference).first())
    if redemption is None:
        raise NotFound(_("No such redemption."))
    return redemption


def _transition(redemption, func):
    before = redemption.status
    try:
        func()
    except TransitionNotAllowed:
        raise StateConflict(_("The redemption is “%(s)s” and cannot be handled this way.")
                            % {"s": redemption.get_status_display()}) from None
    redemption.save()
    return before


def _release(redemption, actor, kind_action, reason):
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
    if redemption.provider_id not in rights.organization_ids(actor):
        raise NotFound(_("No such redemption."))
    if redemption.provider_id not in rights.organization_ids(actor, managers_only=True):
        raise NotAllowed(_("Only a manager of the providing organization can answer a redemption."))


@transaction.atomic
def redemption_confirm(*, actor, reference, reason="") -> Redemption:
    """T6: the provider confirms it delivered the service: the held hours move to it."""
    reason = bounded_text(reason, "reason")
    redemption = _lock(reference)
    _check_provider(actor, redemption)
    before = _transition(redemption, lambda: redemption.deliver(actor, reason))
    held = organization_account(redemption.provider, Account.Kind.HELD)
    received = organization_account(redemption.provider, Account.Kind.RECEIVED)
    move(Kind.CONFIRM, [(held, -redemption.hours), (received, redemption.hours)], actor=actor,
         redemption=redemption, memo=redemption.service.title)
    audit_record(actor=actor, action="timebank.redemption.confirm", obj=redemption, before={"status": before},
                 after={"status": redemption.status}, reason=reason)
    _tell_volunteer(redemption, gettext_lazy("%(service)s was delivered; the hours of %(reference)s are spent."))
    return redemption


@transaction.atomic
def redemption_decline(*, actor, reference, reason="") -> Redemption:
    """T6: the provider declines, with a reason: the hold is released to the volunteer."""
    reason = bounded_text(reason, "reason")
    if not reason.strip():
        raise RuleViolation(_("Give the reason for declining."), fields={"reason": [_("Required.")]})
    redemption = _lock(reference)
    _check_provider(actor, redemption)
    before = _transition(redemption, lambda: redemption.decline(actor, reason))
    account = _release(redemption, actor, "decline", reason)
    audit_record(actor=actor, action="timebank.redemption.decline", obj=redemption, before={"status": before},
                 after={"status": redemption.status, "balance": account.balance}, reason=reason)
    _tell_volunteer(redemption, gettext_lazy("%(service)s was declined; the hours of %(reference)s are back in your account."))
    return redemption


@transaction.atomic
def redemption_cancel(*, actor, reference, reason="") -> Redemption:
    """T6: the volunteer withdraws a redemption the provider has not answered: hold released."""
    reason = bounded_text(reason, "reason")
    redemption = _lock(reference)
    if redemption.volunteer.user_id != getattr(actor, "pk", None):
        raise NotFound(_("No such redemption."))
    before = _transition(redemption, lambda: redemption.cancel(actor, reason))
    account = _release(redemption, actor, "cancel", reason)
    audit_record(actor=actor, action="timebank.redemption.cancel", obj=redemption, before={"status": before},
                 after={"status": redemption.status, "balance": account.balance}, reason=reason)
    return redemption


@transaction.atomic
def redemption_expire(*, redemption_id, now=None) -> Redemption | None:
    """T6: not answered by its due time, the redemption expires and the hold is released.
    Idempotent: one already answered or not yet due is left alone (None)."""
    now = now or timezone.now()
    redemption = (Redemption.objects.select_for_update(of=("self",)).select_related("volunteer", "service", "provider")
                  .filter(pk=redemption_id, status=Redemption.Status.HELD, due_at__lte=now).first())
    if redemption is None:
        return None
    redemption.expire()
    redemption.save()
    account = _release(redemption, None, "expire", "")
    audit_record(actor=None, action="timebank.redemption.expire", obj=redemption, before={"status": "held"},
                 after={"status": redemption.status, "balance": account.balance})
    _tell_volunteer(redemption, gettext_lazy("%(service)s was not answered in time; the hours of %(reference)s are back in your account."))
    return redemption


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
