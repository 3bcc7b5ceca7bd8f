"""The portal's forms for an organization's activities and records: register an activity (R1,
R2), back-fill hours with their evidence (R12), sign volunteers in and out on the spot, review
records one by one or several at once. Every form posts to a service and comes back to the
portal with what happened."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from engine.cases import bulk
from engine.cases.errors import DomainError
from engine.directory import rights
from engine.directory.models import Organization
from engine.documents.services import document_upload
from engine.ui.pages import act, portal_url

from . import selectors
from .documents import BACKFILL
from .models import Activity, ServiceRecord
from .portal import NOT_FOUND, _back, _field, _one_message, _pk
from .services.attendance import sign_in, sign_out
from .services.registry import activity_create, record_approve, record_deny, record_enter, records_approve
from .throttles import identity_throttled


def _local_datetime(value):
    """A typed date and time; an impossible one (30 February) or a malformed one is a form error,
    not a 500 (issue #16). Whether it is in a sane range the service checks."""
    try:
        moment = parse_datetime(value or "")
    except ValueError:  # well formed, but no such day or hour
        moment = None
    if moment is None:
        raise DomainError(_("Enter a valid start and end time."))
    try:
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
    except (OverflowError, ValueError):
        raise DomainError(_("Enter a valid start and end time.")) from None


@login_required
@require_POST
def portal_activity(request):
    """The organization registers an activity it runs (R1, R2)."""
    org = Organization.objects.filter(pk=_pk(request, "organization")).first()
    try:
        if org is None:
            raise DomainError(_("Choose an organization."))
        activity = activity_create(
            actor=request.user, organization=org, name=_field(request, "name", ""),
            place=_field(request, "place", ""), start_at=_local_datetime(_field(request, "start_at")),
            end_at=_local_datetime(_field(request, "end_at")), category=_field(request, "category") or Activity.Category.SERVICE,
            person_in_charge=_field(request, "person_in_charge", ""), content=_field(request, "content", ""))
    except DomainError as exc:
        if getattr(exc, "fields", None):
            exc.message = "；".join(str(m) for msgs in exc.fields.values() for m in msgs)
        return _back(request, exc)
    return _back(request, ok=_("Activity “%(name)s” registered, number %(number)s.") % {
        "name": activity.name, "number": activity.pk})


@login_required
@require_POST
def portal_record_enter(request):
    """The organization back-fills a volunteer's hours at one of its activities (R1, R3, R12);
    sign-in records come only from the sign-in and sign-out buttons. Evidence files (the sign-in
    sheet's photo) may come with it: entered and uploaded together, or neither."""
    if identity_throttled(request):
        return _back(request, DomainError(_("Too many attempts; try again later.")))
    activity = Activity.objects.filter(pk=_pk(request, "activity"), organization_id__in=rights.organization_ids(
        request.user)).first()
    id_number = _field(request, "id_number", "")
    volunteer = selectors.volunteer_for_organization(activity.organization_id, _field(request, "volunteer"),
                                                     id_number) if activity else None
    try:
        if volunteer is None or activity is None:
            raise DomainError(NOT_FOUND)
        files = [f for f in request.FILES.getlist("files") if f]
        with transaction.atomic():
            record = record_enter(actor=request.user, volunteer=volunteer, activity=activity, id_number=id_number,
                                  hours=_field(request, "hours"), source=_field(request, "source") or ServiceRecord.Source.BACKFILL,
                                  submit=True)  # typed by hand: a back-fill; "signin" is refused (R12)
            if files:
                document_upload(actor=request.user, case=record, kind=BACKFILL, files=files)
    except DomainError as exc:
        _one_message(exc)
        return _back(request, exc)
    entered = {"name": volunteer.masked_name, "hours": record.hours}
    if record.late:
        done = _("Entered %(hours)s hours for %(name)s (entered late).") % entered
    else:
        done = _("Entered %(hours)s hours for %(name)s.") % entered
    if files:
        done += " " + _("Evidence handed in: %(names)s.") % {"names": _(", ").join(f.name for f in files)}
    return _back(request, ok=done)


@login_required
@require_POST
def portal_sign(request, activity_id, action):
    """Sign in or out (R12): the volunteer for themself; a manager of the organization on the
    spot for a volunteer without an account (``volunteer``: number or ID number)."""
    if action not in ("sign-in", "sign-out"):
        raise Http404(_("No such action."))
    activity = Activity.objects.filter(pk=activity_id).first()
    key, id_number = _field(request, "volunteer"), _field(request, "id_number", "")
    if key and identity_throttled(request):
        return _back(request, DomainError(_("Too many attempts; try again later.")))
    if key:  # on the spot: only someone the organization knows, or who hands over their ID number
        volunteer = selectors.volunteer_for_organization(activity.organization_id, key, id_number) if activity else None
    else:
        volunteer = selectors.volunteer_for(request.user)
    try:
        if volunteer is None or activity is None:
            raise DomainError(NOT_FOUND)
        if action == "sign-in":
            sign_in(actor=request.user, volunteer=volunteer, activity=activity, id_number=id_number)
            return _back(request, ok=_("%(name)s signed in to “%(activity)s”.") % {
                "name": volunteer.masked_name, "activity": activity.name})
        record = sign_out(actor=request.user, volunteer=volunteer, activity=activity, id_number=id_number)
    except DomainError as exc:
        return _back(request, exc)
    return _back(request, ok=_("%(name)s signed out: %(hours)s hours, awaiting the organizer's review.") % {
        "name": volunteer.masked_name, "hours": record.hours})


@login_required
@require_POST
def portal_record(request, record_id, action):
    if action not in ("approve", "deny"):
        raise Http404(_("No such action."))
    if action == "approve":
        return act(request, lambda: record_approve(actor=request.user, record_id=record_id), _("The record is reviewed."),
                   back=portal_url("certification"))
    return act(request, lambda: record_deny(actor=request.user, record_id=record_id, reason=_field(request, "reason", "")),
               _("The record is reviewed."), back=portal_url("certification"))


@login_required
@require_POST
def portal_records_approve(request):
    """A manager approves the records ticked in the portal at once (issue #10), each through
    ``record_approve`` with its own checks (R12, D3) and reported on its own line."""
    try:
        outcomes = records_approve(actor=request.user, record_ids=request.POST.getlist("records"))
    except DomainError as exc:
        return _back(request, exc)
    messages.success(request, bulk.summary(outcomes))
    for outcome in outcomes:
        if not outcome.ok:
            messages.error(request, _("Volunteer %(number)s: not approved. %(reason)s") % {
                "number": outcome.reference or "—", "reason": outcome.detail})
    return redirect(portal_url("certification"))
