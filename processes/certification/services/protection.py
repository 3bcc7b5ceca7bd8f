"""Protection of volunteers (seed 二(三)): rosters, accident insurance and the cover check.

PR1 An activity marked possibly dangerous (人身危险) cannot be started, and nobody can sign in to
it, until every participant (``participants_of``) is insured by an accident insurance policy the
organizing organization recorded, whose period covers the activity's dates (from the local date
of its start to that of its end). The refusal names who is not covered (a 409, code
``uninsured``): in full to the organization's members, masked (D6) to anyone else.
PR2 A policy states insurer, policy number, period and insured persons, and carries the policy
document (``engine.documents``, kind ``insurance_policy``); a recorded policy is not changed
(D4): a new one is recorded instead.

The participants: ``participants_of(activity)`` is the activity's roster (volunteers the
organization registered for it) together with what every installed app's
``activity_participants(activity_ids)`` hook adds (``selectors.participant_rows``): the
recruitment app returns the volunteers selected for the activity.
"""
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.cases.models import format_reference, next_number
from engine.directory import rights
from engine.documents.services import document_upload

from .. import conf
from ..documents import INSURANCE
from ..models import Activity, ActivityParticipant, InsurancePolicy, Volunteer, mask_name
from ..selectors import is_known_to, participant_rows, volunteers_known_to
from .inputs import bounded_day
from .registry import _clean
from .routing import is_manager


def participants_of(activity):
    """The volunteers taking part in ``activity`` (PR1, ``selectors.participant_rows``), one query."""
    taking_part = Q()
    for rows in participant_rows([activity.pk]):
        taking_part |= Q(pk__in=rows.values("volunteer"))
    return Volunteer.objects.filter(taking_part)


def _cover_dates(activity):
    return timezone.localdate(activity.start_at), timezone.localdate(activity.end_at)


def covering_policies(activity):
    """The organization's policies whose period covers the activity's dates (PR1)."""
    first, last = _cover_dates(activity)
    return InsurancePolicy.objects.filter(organization_id=activity.organization_id, starts_on__lte=first, ends_on__gte=last)


def uncovered_participants(activity) -> list:
    """PR1: the participants of a dangerous activity no covering policy insures, in volunteer
    number order; empty for an activity not marked dangerous. Two queries."""
    if not activity.dangerous:
        return []
    covered = covering_policies(activity).values("insured")
    return list(participants_of(activity).exclude(pk__in=covered).order_by("volunteer_number"))


def _names(volunteers, reveal: bool) -> str:
    return _("; ").join(_("%(name)s (%(number)s)") % {
        "name": v.real_name if reveal else mask_name(v.real_name), "number": v.volunteer_number} for v in volunteers)


def require_cover(activity, *, actor, volunteer=None) -> None:
    """Refuse (409 ``uninsured``) while a dangerous activity has an uninsured participant, or
    when ``volunteer`` (who is signing in) is not insured for it (PR1)."""
    if not activity.dangerous:
        return
    missing = uncovered_participants(activity)
    if volunteer is not None and volunteer.pk not in {v.pk for v in missing} \
            and not covering_policies(activity).filter(insured=volunteer).exists():
        missing.append(volunteer)
    if missing:
        reveal = rights.acts_for(actor, activity.organization_id)
        raise StateConflict(
            _("This activity may be dangerous and not everyone taking part has accident insurance for its dates. "
              "Not covered: %(names)s. The organization must record the insurance first.")
            % {"names": _names(missing, reveal)}, code="uninsured")


def _locked_activity(activity) -> Activity:
    try:
        return Activity.objects.select_for_update(of=("self",)).select_related("organization").get(
            pk=getattr(activity, "pk", activity))
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such activity.")) from None


def _check_manager(actor, organization):
    if not is_manager(actor, organization):
        raise NotAllowed(_("Only a manager of the organizing organization can do this."))


def start_opens(activity):
    """When ``activity`` may be started: when its sign-in opens (R12)."""
    return activity.start_at - timedelta(minutes=conf.signin_opens_minutes())


@transaction.atomic
def activity_start(*, actor, activity) -> Activity:
    """A manager of the organizer starts the activity (from the sign-in opening until its end);
    a dangerous one only when every participant is insured (PR1). Audited."""
    activity = _locked_activity(activity)
    _check_manager(actor, activity.organization)
    if activity.started_at is not None:
        raise StateConflict(_("The activity has already been started."))
    if not activity.organization.is_active:
        raise StateConflict(_("The organization was merged or dissolved; it can no longer start activities."))
    now = timezone.now()
    if now > activity.end_at:
        raise RuleViolation(_("The activity has already ended."))
    require_cover(activity, actor=actor)
    if now < start_opens(activity):  # from the sign-in opening (R12), not days ahead: a start fixes the roster
        raise RuleViolation(_("The activity can be started from %(m)s minutes before it begins, when sign-in opens.")
                            % {"m": conf.signin_opens_minutes()})
    activity.started_at, activity.started_by = now, actor
    activity.save(update_fields=["started_at", "started_by"])
    audit_record(actor=actor, action="certification.activity.start", obj=activity,
                 before={"started_at": None}, after={"started_at": now, "dangerous": activity.dangerous})
    return activity


@transaction.atomic
def activity_mark_dangerous(*, actor, activity, dangerous: bool) -> Activity:
    """A manager marks an activity possibly dangerous, or not, before it starts (PR1). Audited."""
    activity = _locked_activity(activity)
    _check_manager(actor, activity.organization)
    if activity.started_at is not None:
        raise StateConflict(_("The activity has already been started; its risk can no longer be changed."))
    before = activity.dangerous
    activity.dangerous = bool(dangerous)
    activity.save(update_fields=["dangerous"])
    audit_record(actor=actor, action="certification.activity.risk", obj=activity,
                 before={"dangerous": before}, after={"dangerous": activity.dangerous})
    return activity


@transaction.atomic
def participant_add(*, actor, activity, volunteer, id_number="") -> ActivityParticipant:
    """A manager puts a volunteer it may reach (``is_known_to``) on the activity's roster, until
    the activity ends; twice is a 409; once a dangerous activity started, only an insured one
    (PR1). The activity row is locked, so this and ``activity_start`` never interleave."""
    activity = _locked_activity(activity)
    _check_manager(actor, activity.organization)
    if activity.has_ended:  # before the lookup: an ended activity confirms no one
        raise RuleViolation(_("The activity has already ended."))
    if not is_known_to(volunteer, activity.organization, id_number):
        raise NotFound(_("Volunteer not found."))
    if activity.started_at is not None:  # PR1 holds after the start too: nobody uninsured joins
        require_cover(activity, actor=actor, volunteer=volunteer)
    try:
        with transaction.atomic():
            participant = ActivityParticipant.objects.create(activity=activity, volunteer=volunteer, added_by=actor)
    except IntegrityError:
        raise StateConflict(_("This volunteer is already on the activity's roster."), code="duplicate") from None
    audit_record(actor=actor, action="certification.participant.add", obj=participant,
                 reference=volunteer.volunteer_number, after={"activity": activity.pk, "volunteer": volunteer.pk})
    return participant


@transaction.atomic
def participant_remove(*, actor, activity, volunteer) -> None:
    """A manager takes a volunteer off the roster before the activity starts. Audited."""
    activity = _locked_activity(activity)
    _check_manager(actor, activity.organization)
    if activity.started_at is not None:
        raise StateConflict(_("The activity has already been started; its roster can no longer change."))
    participant = ActivityParticipant.objects.filter(activity=activity, volunteer=volunteer).first()
    if participant is None:
        raise NotFound(_("This volunteer is not on the activity's roster."))
    audit_record(actor=actor, action="certification.participant.remove", obj=participant,
                 reference=volunteer.volunteer_number, before={"activity": activity.pk, "volunteer": volunteer.pk})
    participant.delete()


def insurance_record(*, actor, organization, insurer, policy_number, starts_on, ends_on, volunteers, files) -> InsurancePolicy:
    """A manager records an accident insurance policy of its organization (PR2): insurer, policy
    number, period, the insured volunteers (each one it may reach) and the policy document (at
    least one file). All or nothing: a refused file stores no policy. Audited."""
    with transaction.atomic():
        # of=self: the organization (against a merge or dissolution), not its supervising department,
        # a row every case shares (lock order, engine/cases/services.py)
        organization = type(organization).objects.select_for_update(of=("self",)).select_related(
            "supervising_department").get(pk=organization.pk)
        _check_manager(actor, organization)
        if not organization.is_active:
            raise StateConflict(_("The organization was merged or dissolved; it can no longer record insurance."))
        volunteers = list({v.pk: v for v in volunteers}.values())
        if not volunteers:
            raise RuleViolation(_("Name at least one insured volunteer."), fields={"volunteers": [_("Required.")]})
        known = volunteers_known_to(organization).filter(pk__in=[v.pk for v in volunteers]).count()
        if known != len(volunteers):  # one query, while the organization is locked
            raise NotFound(_("Volunteer not found."))
        if not [f for f in files or () if f is not None]:
            raise RuleViolation(_("Attach the policy document."), fields={"files": [_("Required.")]})
        bounded_day(starts_on, "starts_on", _("the day the cover starts"))
        bounded_day(ends_on, "ends_on", _("the day the cover ends"))
        year = timezone.localdate().year
        policy = InsurancePolicy(
            reference=format_reference("BX", year, next_number("BX", year)), organization=organization,
            department=organization.supervising_department, insurer=(insurer or "").strip(),
            policy_number=(policy_number or "").strip(), starts_on=starts_on, ends_on=ends_on, recorded_by=actor,
        )
        _clean(policy)
        policy.save()
        policy.insured.set(volunteers)
        document_upload(actor=actor, case=policy, kind=INSURANCE, files=files)
        audit_record(actor=actor, action="certification.insurance.record", obj=policy, reference=policy.reference,
                     after={"organization": organization.pk, "insurer": policy.insurer,
                            "policy_number": policy.policy_number, "starts_on": starts_on, "ends_on": ends_on,
                            "insured": sorted(v.pk for v in volunteers)})
    return policy
