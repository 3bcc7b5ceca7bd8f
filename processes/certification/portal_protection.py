"""The portal's protection forms (seed 二(三)): a manager marks an upcoming activity possibly
dangerous, puts volunteers on its roster, records the accident insurance that covers them and
starts the activity once everyone is covered (PR1, PR2). Every form posts to
``services.protection``; the portal card shows who is still uncovered."""
import re

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from engine.cases.errors import DomainError
from engine.directory import rights
from engine.directory.models import Organization

from . import selectors
from .models import Activity, ActivityParticipant
from .portal import NOT_FOUND, _back, _field, _one_message, _pk
from .services import protection
from .services.inputs import bounded_day
from .throttles import identity_throttled

# one policy names at most this many insured volunteers from the form (the API's limit too)
INSURED_LIMIT = 500


def _own_activity(request, activity_id):
    """An activity of an organization the user manages, else "not found": a member who is not a
    manager and everybody else get the same answer, before any volunteer is looked up."""
    managed = rights.organization_ids(request.user, managers_only=True)
    activity = Activity.objects.filter(pk=activity_id, organization_id__in=managed).select_related("organization").first()
    if activity is None:
        raise DomainError(_("No such activity."))
    return activity


def _day(request, name, label):
    raw = (_field(request, name) or "").strip()
    try:
        day = parse_date(raw)
    except ValueError:  # well formed, but no such day
        day = None
    if day is None:
        raise DomainError(_("Enter %(field)s as a date (YYYY-MM-DD).") % {"field": label})
    return bounded_day(day, name, label)  # here too, so a mistyped year is said before the names are read


def _insured(request, organization):
    """The volunteers a policy form names (volunteer numbers or ID numbers, separated by commas,
    spaces or lines), each one the organization knows (one query); an unknown one stops the form
    and is named, whether or not it is registered elsewhere (issue #16)."""
    keys = [k for k in re.split(r"[\s,，、;；]+", _field(request, "insured") or "") if k]
    if not keys:
        raise DomainError(_("Name at least one insured volunteer."))
    if len(keys) > INSURED_LIMIT:
        raise DomainError(_("A policy form names at most %(count)s volunteers.") % {"count": INSURED_LIMIT})
    keys = list(dict.fromkeys(key.upper() for key in keys))
    found = {}
    for volunteer in selectors.volunteers_known_to(organization).filter(
            Q(volunteer_number__in=keys) | Q(id_number__in=keys)).order_by("pk"):
        found.setdefault(volunteer.volunteer_number, volunteer)
        found.setdefault(volunteer.id_number, volunteer)
    unknown = [key for key in keys if key not in found]
    if unknown:
        raise DomainError(_("Not among the volunteers your organization knows: %(keys)s.") % {"keys": _(", ").join(unknown[:10])})
    return [found[key] for key in keys]


@login_required
@require_POST
def portal_risk(request, activity_id):
    """Mark an activity possibly dangerous, or no longer (PR1)."""
    dangerous = _field(request, "dangerous") == "1"
    try:
        activity = protection.activity_mark_dangerous(actor=request.user, activity=_own_activity(request, activity_id),
                                                      dangerous=dangerous)
    except DomainError as exc:
        return _back(request, exc)
    if activity.dangerous:
        return _back(request, ok=_("“%(name)s” is marked possibly dangerous: it starts only when everyone on its roster "
                                   "is insured.") % {"name": activity.name})
    return _back(request, ok=_("“%(name)s” is no longer marked possibly dangerous.") % {"name": activity.name})


@login_required
@require_POST
def portal_roster(request, activity_id):
    """Put a volunteer the organization knows on the activity's roster (PR1's participants)."""
    if identity_throttled(request):
        return _back(request, DomainError(_("Too many attempts; try again later.")))
    id_number = _field(request, "id_number", "")
    try:
        activity = _own_activity(request, activity_id)
        if activity.has_ended:  # the service's first refusal, said before the lookup below: it confirms no volunteer
            raise DomainError(_("The activity has already ended."))
        volunteer = selectors.volunteer_for_organization(activity.organization_id, _field(request, "volunteer"), id_number)
        if volunteer is None:
            raise DomainError(NOT_FOUND)
        protection.participant_add(actor=request.user, activity=activity, volunteer=volunteer, id_number=id_number)
    except DomainError as exc:
        return _back(request, exc)
    return _back(request, ok=_("%(name)s is on the roster of “%(activity)s”.") % {
        "name": volunteer.masked_name, "activity": activity.name})


@login_required
@require_POST
def portal_roster_remove(request, activity_id):
    """Take a volunteer off the roster before the activity starts (a wrong entry would otherwise
    block a dangerous activity's start until that person is insured)."""
    try:
        activity = _own_activity(request, activity_id)
        entry = ActivityParticipant.objects.filter(activity=activity, volunteer_id=_pk(request, "volunteer")) \
            .select_related("volunteer").first()
        if entry is None:
            raise DomainError(_("This volunteer is not on the activity's roster."))
        protection.participant_remove(actor=request.user, activity=activity, volunteer=entry.volunteer)
    except DomainError as exc:
        return _back(request, exc)
    return _back(request, ok=_("%(name)s is off the roster of “%(activity)s”.") % {
        "name": entry.volunteer.masked_name, "activity": activity.name})


@login_required
@require_POST
def portal_insurance(request):
    """Record an accident insurance policy with its document (PR2)."""
    organization = Organization.objects.filter(
        pk=_pk(request, "organization"), pk__in=rights.organization_ids(request.user, managers_only=True)).first()
    try:
        if organization is None:
            raise DomainError(_("Choose an organization."))
        policy = protection.insurance_record(
            actor=request.user, organization=organization, insurer=_field(request, "insurer", ""),
            policy_number=_field(request, "policy_number", ""),
            starts_on=_day(request, "starts_on", _("the day the cover starts")),
            ends_on=_day(request, "ends_on", _("the day the cover ends")),
            volunteers=_insured(request, organization), files=request.FILES.getlist("files"))
    except DomainError as exc:
        _one_message(exc)
        return _back(request, exc)
    return _back(request, ok=_("Policy %(number)s recorded: %(count)s volunteers insured from %(start)s to %(end)s.") % {
        "number": policy.policy_number, "count": policy.insured.count(), "start": policy.starts_on.isoformat(),
        "end": policy.ends_on.isoformat()})


@login_required
@require_POST
def portal_start(request, activity_id):
    """Start the activity; a dangerous one only when everyone on its roster is insured (PR1)."""
    try:
        activity = protection.activity_start(actor=request.user, activity=_own_activity(request, activity_id))
    except DomainError as exc:
        return _back(request, exc)
    return _back(request, ok=_("“%(name)s” has started.") % {"name": activity.name})
