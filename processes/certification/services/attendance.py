"""Sign-in and sign-out (R12): the server stamps both times; the sign-out makes the service
record, source "signin", with the hours served inside the activity's start and end (time
outside it, such as travel, does not count, R2), pending the organization's approval (R13).

Who signs: the volunteer themself with their own account, or — for a volunteer without an
account — a manager of the organization that runs the activity, on the spot.
Nobody signs in to a possibly dangerous activity while a participant, or the one signing in, has
no accident insurance for its dates (seed 二(三), PR1 in ``protection.py``).
"""
from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.processes import hooks

from .. import conf
from ..models import Activity, Attendance, ServiceRecord, Volunteer
from ..selectors import is_known_to
from .protection import require_cover
from .registry import _clean, is_late
from .routing import is_manager


def served_hours(activity, signed_in_at, signed_out_at) -> Decimal:
    """Hours between the two stamps clipped to the activity's start and end, so never more
    than the activity's length (R12)."""
    start, end = max(signed_in_at, activity.start_at), min(signed_out_at, activity.end_at)
    seconds = max(Decimal(0), Decimal((end - start).total_seconds()))
    return min((seconds / Decimal(3600)).quantize(Decimal("0.01")), activity.length_hours)


def _check_signer(actor, volunteer, activity, id_number=""):
    """The volunteer themself, or a manager of the organization on the spot for a volunteer
    without an account whom the organization knows (entered it, or it came before) or who
    hands over their ID number; a volunteer it may not reach is "not found", as an unknown
    one is (issue #16)."""
    if volunteer.user_id is not None and volunteer.user_id == actor.pk:
        return
    if not is_manager(actor, activity.organization):
        raise NotAllowed(_("Only the volunteer or a manager of the organizing organization can sign in or out."))
    if not is_known_to(volunteer, activity.organization, id_number):
        raise NotFound(_("Volunteer not found."))
    if volunteer.user_id:
        raise NotAllowed(_("A volunteer with an account signs in and out in person."))


def _lock(volunteer, activity):
    try:
        volunteer = Volunteer.objects.select_for_update().get(pk=getattr(volunteer, "pk", volunteer))
        activity = Activity.objects.select_related("organization").get(pk=getattr(activity, "pk", activity))
    except (Volunteer.DoesNotExist, Activity.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such volunteer or activity.")) from None
    return volunteer, activity


@transaction.atomic
def sign_in(*, actor, volunteer, activity, id_number="") -> Attendance:
    """Sign in from ``CERTIFICATION_SIGNIN_OPENS_MINUTES`` before the start until the end;
    once per volunteer and activity (a second sign-in is a 409)."""
    volunteer, activity = _lock(volunteer, activity)
    _check_signer(actor, volunteer, activity, id_number)
    if not activity.organization.is_active:
        raise StateConflict(_("The organization was merged or dissolved; signing in is closed."))
    if activity.category not in (Activity.Category.SERVICE, Activity.Category.TRAINING):
        raise RuleViolation(_("Only service and training activities have sign-in and sign-out; commendations and evaluations are entered by the organizer."))
    now = timezone.now()
    opens = activity.start_at - timedelta(minutes=conf.signin_opens_minutes())
    if now < opens:
        raise RuleViolation(_("Sign-in has not opened yet: it opens %(m)s minutes before the activity starts.") % {"m": conf.signin_opens_minutes()})
    if now > activity.end_at:
        raise RuleViolation(_("The activity has ended, so signing in is closed; if you did serve, ask the organizer to back-fill the record."))
    if Attendance.objects.filter(volunteer=volunteer, activity=activity).exists():
        raise StateConflict(_("Already signed in to this activity."))
    require_cover(activity, actor=actor, volunteer=volunteer)  # PR1
    for check in hooks("signin_check"):  # other processes' conditions (recruitment: selected volunteers only)
        check(volunteer=volunteer, activity=activity)
    if ServiceRecord.objects.current().filter(volunteer=volunteer, activity=activity).exists():
        raise StateConflict(_("This volunteer already has a record for this activity."))
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(volunteer=volunteer, activity=activity, signed_in_at=now,
                                                   signed_in_by=actor)
    except IntegrityError:  # a concurrent sign-in won
        raise StateConflict(_("Already signed in to this activity.")) from None
    audit_record(actor=actor, action="certification.attendance.sign_in", obj=attendance,
                 reference=volunteer.volunteer_number,
                 after={"activity": activity.pk, "signed_in_at": now, "on_behalf": actor.pk != volunteer.user_id})
    return attendance


@transaction.atomic
def sign_out(*, actor, volunteer, activity, id_number="") -> ServiceRecord:
    """Sign out after signing in, until ``CERTIFICATION_SIGNOUT_CLOSES_MINUTES`` after the end.
    Makes the sign-in record: hours from the two stamps clipped to the activity, pending."""
    volunteer, activity = _lock(volunteer, activity)
    _check_signer(actor, volunteer, activity, id_number)
    attendance = Attendance.objects.select_for_update().filter(volunteer=volunteer, activity=activity).first()
    if attendance is None:
        raise StateConflict(_("Not signed in yet, so you cannot sign out."))
    if attendance.signed_out_at is not None:
        raise StateConflict(_("Already signed out."))
    now = timezone.now()
    if now > activity.end_at + timedelta(minutes=conf.signout_closes_minutes()):
        raise RuleViolation(_("Sign-out has closed; if you did serve, ask the organizer to back-fill the record."))
    hours = served_hours(activity, attendance.signed_in_at, now)
    if hours <= 0:
        raise RuleViolation(_("The activity has not started yet; you can sign out once it starts."))
    if ServiceRecord.objects.current().filter(volunteer=volunteer, activity=activity).exists():
        raise StateConflict(_("This volunteer already has a record for this activity."))
    record = ServiceRecord(
        volunteer=volunteer, activity=activity, hours=hours, source=ServiceRecord.Source.SIGNIN,
        entered_by=actor, entered_at=now, late=is_late(activity, now), content=activity.name,
    )
    record.submit()
    _clean(record)
    record.save()
    attendance.signed_out_at, attendance.signed_out_by, attendance.record = now, actor, record
    attendance.save(update_fields=["signed_out_at", "signed_out_by", "record"])
    audit_record(actor=actor, action="certification.attendance.sign_out", obj=attendance,
                 reference=volunteer.volunteer_number,
                 after={"activity": activity.pk, "signed_in_at": attendance.signed_in_at, "signed_out_at": now,
                        "record": record.pk})
    audit_record(actor=actor, action="certification.record.enter", obj=record, reference=volunteer.volunteer_number,
                 after={"status": record.status, "hours": hours, "source": record.source, "late": record.late})
    return record
