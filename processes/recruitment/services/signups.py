"""Signing up, selecting, declining and withdrawing (seed 二(一)). A sign-up takes a place of
its slot while one is free, else waits in order of arrival; a freed place goes to the first
waiting (``_promote``). The slot's row lock serializes every change of its places, so the last
place goes to exactly one of many concurrent sign-ups."""
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.notifications.services import Text, notify
from processes.certification.models import Volunteer
from processes.certification.selectors import volunteer_for, volunteer_for_organization
from processes.certification.services.registry import volunteer_register
from processes.certification.services.routing import is_manager, organization_managers

from ..models import Recruitment, SignUp, Slot
from .eligibility import check_eligible

PORTAL_LINK = "/portal/recruitment/"


def _locked_slot(slot_id) -> Slot:
    try:
        slot = (Slot.objects.select_for_update(of=("self",)).select_related("recruitment__activity__organization")
                .get(pk=int(slot_id)))
    except (Slot.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such time slot.")) from None
    return slot


def taken(slot) -> int:
    return SignUp.objects.filter(slot=slot, status__in=SignUp.HOLDING).count()


def _open_for_answers(slot):
    recruitment = slot.recruitment
    if recruitment.status != Recruitment.Status.OPEN:
        raise StateConflict(_("This recruitment no longer takes sign-ups."))
    now = timezone.now()
    if recruitment.answer_by is not None and now > recruitment.answer_by:
        raise StateConflict(_("The answer window of this emergency recruitment has closed."))
    if slot.end_at <= now:
        raise StateConflict(_("This time slot is over."))


def _create(slot, volunteer, *, source, actor, consent_note="", selected=False) -> SignUp:
    status = SignUp.Status.APPLIED if taken(slot) < slot.places else SignUp.Status.WAITLISTED
    if selected and status == SignUp.Status.WAITLISTED:
        raise StateConflict(_("All places of this time slot are taken."))
    signup = SignUp(slot=slot, volunteer=volunteer, source=source, consent_note=consent_note,
                    created_at=timezone.now(), status=status)
    try:
        with transaction.atomic():
            signup.save()
    except IntegrityError:  # the unique constraint: a concurrent second sign-up of the same person
        raise StateConflict(_("Already signed up for this time slot.")) from None
    if selected:
        signup.select(by=actor)
        signup.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=actor, action="recruitment.signup", obj=signup, reference=volunteer.volunteer_number,
                 after={"slot": slot.pk, "status": signup.status, "source": source})
    return signup


@transaction.atomic
def signup_create(*, actor, slot_id, source=SignUp.Source.PORTAL) -> SignUp:
    """The signed-in volunteer signs up for a slot of an open recruitment, when the one rule
    allows it (``eligibility``); a full slot wait-lists them."""
    slot = _locked_slot(slot_id)
    volunteer = volunteer_for(actor)
    if volunteer is None:
        raise NotAllowed(_("Register as a volunteer first."))
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)  # one person's sign-ups one at a time
    _open_for_answers(slot)
    if SignUp.objects.filter(slot=slot, volunteer=volunteer, status__in=SignUp.ACTIVE).exists():
        raise StateConflict(_("Already signed up for this time slot."))
    check_eligible(volunteer, slot)
    signup = _create(slot, volunteer, source=source, actor=actor)
    notify(organization_managers(slot.recruitment.organization),
           title=Text(gettext_lazy("New sign-up for %(title)s"), title=slot.recruitment.title),
           link=PORTAL_LINK, kind="recruitment.signup")
    return signup


@transaction.atomic
def signup_on_spot(*, actor, slot_id, consent_note, volunteer_key="", id_number="", real_name="", phone="") -> SignUp:
    """Offline recruitment: a manager registers a person on the spot, selected at once, with
    the person's consent recorded (R4). A volunteer the organization knows is named by number
    (or by number and ID number); a new person is entered with name, ID number and phone."""
    slot = _locked_slot(slot_id)
    organization = slot.recruitment.organization
    if not is_manager(actor, organization):
        raise NotFound(_("No such time slot."))
    consent_note = (consent_note or "").strip()
    if not consent_note or len(consent_note) > 200:
        raise RuleViolation(_("Record how the person gave consent (at most 200 characters)."),
                            fields={"consent_note": [_("Record how the person gave consent (at most 200 characters).")]})
    if slot.recruitment.mode != Recruitment.Mode.OFFLINE:
        raise RuleViolation(_("Only an offline recruitment registers people on the spot."))
    _open_for_answers(slot)
    if volunteer_key:
        volunteer = volunteer_for_organization(organization, volunteer_key, id_number)
        if volunteer is None:
            raise NotFound(_("Volunteer not found."))
    else:
        volunteer = volunteer_register(actor=actor, organization=organization, real_name=real_name,
                                       id_number=id_number, phone=phone, consent=True, consent_note=consent_note)
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if SignUp.objects.filter(slot=slot, volunteer=volunteer, status__in=SignUp.ACTIVE).exists():
        raise StateConflict(_("Already signed up for this time slot."))
    check_eligible(volunteer, slot)
    return _create(slot, volunteer, source=SignUp.Source.ON_SPOT, actor=actor, consent_note=consent_note,
                   selected=True)


def _locked_signup(signup_id) -> SignUp:
    try:
        signup = SignUp.objects.select_related("volunteer", "slot__recruitment__activity__organization").get(
            pk=int(signup_id))
    except (SignUp.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such sign-up.")) from None
    slot = _locked_slot(signup.slot_id)  # the slot first, as a sign-up does: one lock order
    signup = SignUp.objects.select_for_update(of=("self",)).select_related("volunteer").get(pk=signup.pk)
    signup.slot = slot
    return signup


def _promote(slot, actor) -> SignUp | None:
    """A place freed: the first wait-listed sign-up takes it and is told."""
    if taken(slot) >= slot.places:
        return None
    first = (SignUp.objects.select_for_update(of=("self",)).select_related("volunteer__user")
             .filter(slot=slot, status=SignUp.Status.WAITLISTED).order_by("created_at", "pk").first())
    if first is None:
        return None
    first.promote()
    first.save(update_fields=["status"])
    audit_record(actor=actor, action="recruitment.promote", obj=first, reference=first.volunteer.volunteer_number,
                 after={"status": first.status})
    notify([first.volunteer.user], title=Text(gettext_lazy("A place is free for you: %(title)s"),
                                              title=slot.recruitment.title),
           link=PORTAL_LINK, kind="recruitment.promote")
    return first


@transaction.atomic
def signup_select(*, actor, signup_id) -> SignUp:
    """A manager selects a volunteer holding a place; the one rule is checked again (training
    may be required, another place may have been taken since) and the volunteer is told."""
    signup = _locked_signup(signup_id)
    recruitment = signup.slot.recruitment
    if not is_manager(actor, recruitment.organization):
        raise NotFound(_("No such sign-up."))
    if recruitment.status == Recruitment.Status.CANCELLED:
        raise StateConflict(_("The recruitment is cancelled."))
    if signup.status != SignUp.Status.APPLIED:
        raise StateConflict(_("Only a sign-up holding a place can be selected."))
    Volunteer.objects.select_for_update().filter(pk=signup.volunteer_id).first()
    check_eligible(signup.volunteer, signup.slot, ignore=signup)
    signup.select(by=actor)
    signup.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=actor, action="recruitment.select", obj=signup, reference=signup.volunteer.volunteer_number,
                 after={"status": signup.status})
    notify([signup.volunteer.user], title=Text(gettext_lazy("You are selected: %(title)s"), title=recruitment.title),
           body=Text(gettext_lazy("Sign in at %(place)s when the activity starts."), place=recruitment.place),
           link=PORTAL_LINK, kind="recruitment.select")
    return signup


@transaction.atomic
def signup_decline(*, actor, signup_id, reason="") -> SignUp:
    """A manager does not select a volunteer; the place goes to the first wait-listed."""
    if len(reason or "") > 500:
        raise RuleViolation(_("Give a reason of at most 500 characters."))
    signup = _locked_signup(signup_id)
    recruitment = signup.slot.recruitment
    if not is_manager(actor, recruitment.organization):
        raise NotFound(_("No such sign-up."))
    if signup.status not in (SignUp.Status.APPLIED, SignUp.Status.WAITLISTED):
        raise StateConflict(_("Only a sign-up still waiting for a decision can be declined."))
    signup.decline(by=actor)
    signup.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=actor, action="recruitment.decline", obj=signup, reference=signup.volunteer.volunteer_number,
                 reason=reason, after={"status": signup.status})
    notify([signup.volunteer.user], title=Text(gettext_lazy("Not selected this time: %(title)s"),
                                               title=recruitment.title),
           body=reason, link=PORTAL_LINK, kind="recruitment.decline")
    _promote(signup.slot, actor)
    return signup


@transaction.atomic
def signup_withdraw(*, actor, signup_id) -> SignUp:
    """The volunteer withdraws their own sign-up; a freed place goes to the first wait-listed."""
    signup = _locked_signup(signup_id)
    if signup.volunteer.user_id is None or signup.volunteer.user_id != actor.pk:
        raise NotFound(_("No such sign-up."))
    if signup.status not in SignUp.ACTIVE:
        raise StateConflict(_("This sign-up is no longer active."))
    held = signup.status in SignUp.HOLDING
    signup.withdraw()
    signup.save(update_fields=["status"])
    audit_record(actor=actor, action="recruitment.withdraw", obj=signup, reference=signup.volunteer.volunteer_number,
                 after={"status": signup.status})
    if held:
        _promote(signup.slot, actor)
        if signup.decided_by_id:
            notify(organization_managers(signup.slot.recruitment.organization),
                   title=Text(gettext_lazy("A selected volunteer withdrew: %(title)s"),
                              title=signup.slot.recruitment.title), link=PORTAL_LINK, kind="recruitment.withdraw")
    return signup
