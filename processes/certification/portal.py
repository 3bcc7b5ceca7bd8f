"""The portal pages of the certification process: a volunteer's own record, stars,
certificates and disputes (R5) with the forms to register, request and dispute; an
organization's tasks, activities and records. Every form posts to a service."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from engine.cases.actions import task_complete
from engine.cases.errors import DomainError
from engine.cases.models import TaskRoute
from engine.directory import rights
from engine.directory.models import District, Organization
from engine.documents.access import case_access_for
from engine.ui.pages import act, portal_url

from . import selectors
from .documents import attach_backfill_evidence, backfill_access
from .models import Activity, ActivityParticipant, Certificate, CertificateRequest, Dispute, ServiceRecord, Volunteer
from .pdf import verification_url
from .services.claims import claim_code_issue, volunteer_claim
from .services.disputes import dispute_appeal, dispute_file
from .services.protection import start_opens
from .services.registry import (
    volunteer_register,
)
from .services.requests import request_create
from .throttles import identity_throttled
from .views_students import portal_cards

TITLE = gettext_lazy("Service records, certificates and disputes")

# one answer for a volunteer who does not exist and one the organization may not reach (issue #16)
NOT_FOUND = gettext_lazy("Volunteer or activity not found (for a volunteer your organization did not enter and who has not served at your activities, give the ID number too).")


def portal_section(request):
    """The portal card: a volunteer's own record (R5) and an organization's tasks; then the
    school card (a volunteer's school and consent, a school's link to its students' hours,
    seed 五(一)) and the national system's files for managers (seed 二(五))."""
    # both parts are rendered templates (safe) or "" — join them with format_html so an empty
    # plain "" on either side does not turn the whole into text the page would escape
    user = request.user
    volunteer = selectors.volunteer_for(user)
    org_ids = rights.organization_ids(user)
    return format_html("{}{}", _portal_section(request, volunteer, org_ids),
                       portal_cards(request, volunteer=volunteer, org_ids=org_ids))


def _portal_section(request, volunteer, org_ids):
    user = request.user
    ctx = {"request": request, "user": user}
    ctx["csrf_token"] = get_token(request)
    if volunteer is None and not org_ids:
        if user.is_superuser or rights.is_staff_of_any(user) or rights.school_ids(user):
            return ""
        ctx["districts"] = list(District.objects.all())
        return render_to_string("certification/portal_register.html", ctx, request=request)
    if volunteer is not None:
        overview = selectors.volunteer_overview(volunteer)
        attach_backfill_evidence(overview["records"])  # the volunteer sees their back-fills' evidence (R5)
        ctx.update(overview)
        ctx["request_organizations"] = Organization.objects.filter(
            pk__in=ServiceRecord.objects.counting().filter(volunteer=volunteer)
            .values("activity__organization")).order_by("name")
        ctx["my_signed_in"] = list(selectors.open_attendances(volunteer))
        signed = volunteer.attendances.values("activity")
        ctx["signin_activities"] = list(selectors.activities_open_for_signin().exclude(pk__in=signed)[:20])
        ctx["commendations"] = list(selectors.standing_commendations(volunteer=volunteer))
        ctx["verify_links"] = {c.number: verification_url(c, request.build_absolute_uri("/"))
                               for c in overview["certificates"]}
    if org_ids:
        ctx["org_tasks"] = list(
            TaskRoute.objects.filter(process_name="certification", owner=user, state=TaskRoute.State.CLAIMED)
            .order_by("due_at"))
        _describe_tasks(ctx["org_tasks"])
        ctx["org_pending_records"] = list(
            ServiceRecord.objects.current().with_backfill_approver()
            .filter(activity__organization_id__in=org_ids, status=ServiceRecord.Status.PENDING)
            .select_related("volunteer", "activity", "activity__organization__supervising_department")[:50])
        _who_approves(ctx["org_pending_records"], user)
        attach_backfill_evidence(ctx["org_pending_records"])  # the reviewer decides seeing it (R12)
        ctx["org_organizations"] = list(Organization.objects.filter(pk__in=org_ids, status=Organization.Status.ACTIVE).order_by("name"))
        ctx["org_activities"] = list(Activity.objects.filter(organization_id__in=org_ids)
                                     .select_related("organization").order_by("-start_at")[:30])
        selectors.cover_overview(ctx["org_activities"])  # seed 二(三): who is not insured yet
        now = timezone.now()
        ctx["org_dangerous"] = [a for a in ctx["org_activities"] if a.dangerous and a.end_at >= now]
        ctx["org_upcoming"] = [a for a in ctx["org_activities"] if a.started_at is None and a.end_at >= now]
        rosters = {}
        for entry in ActivityParticipant.objects.filter(activity__in=ctx["org_upcoming"]).select_related("volunteer"):
            rosters.setdefault(entry.activity_id, []).append(entry.volunteer)
        for a in ctx["org_activities"]:
            a.roster = rosters.get(a.pk, [])
            a.start_opens = start_opens(a)
            a.may_start = a.started_at is None and a.start_opens <= now
        ctx["org_commendations"] = list(selectors.standing_commendations(organization_ids=org_ids)[:20])
        ctx["categories"] = Activity.Category.choices
        ctx["org_signin_activities"] = list(selectors.activities_open_for_signin().filter(organization_id__in=org_ids))
        ctx["sign_actions"] = [("sign-in", _("Sign in")), ("sign-out", _("Sign out"))]
        ctx["org_certificates"] = list(
            Certificate.objects.filter(request__organization_id__in=org_ids).select_related("superseded_by")[:20])
    return render_to_string("certification/portal_section.html", ctx, request=request)


def _who_approves(records, user):
    """R12: mark back-fills this user may not approve — their own entry, one of an
    organization they do not manage, or one its supervising department approves. The
    records come annotated by ``with_backfill_approver``."""
    managed = rights.organization_ids(user, managers_only=True)
    for r in records:
        r.approver_note = ""
        if r.source != ServiceRecord.Source.BACKFILL:
            continue
        if selectors.department_approves_backfill(r):
            r.approver_note = _("Back-fill, awaiting review by %(department)s") % {
                "department": r.activity.organization.supervising_department.name}
        elif r.entered_by_id == user.pk or r.activity.organization_id not in managed:
            r.approver_note = _("Back-fill, awaiting review by another manager of the organization")


def _describe_tasks(routes):
    """What the organization needs to decide: the claim of a dispute, the records asked for."""
    refs = [r.reference for r in routes]
    disputes = {d.reference: d for d in Dispute.objects.filter(reference__in=refs)
                .select_related("record__activity", "certificate")}
    requests = {q.reference: q for q in CertificateRequest.objects.filter(reference__in=refs)
                .select_related("volunteer").prefetch_related("records")}
    for route in routes:
        if route.reference in disputes:
            d = disputes[route.reference]
            route.is_dispute = True  # the decider opens the dispute's evidence from here
            parts = [_("Record: %(activity)s %(hours)s hours") % {"activity": d.record.activity.name,
                                                                   "hours": d.record.hours}
                     if d.record_id else _("The certificate"),
                     _("Claim: %(claim)s") % {"claim": d.claim.rstrip('。；;.')}]
            if d.claimed_hours is not None:
                parts.append(_("claimed %(hours)s hours") % {"hours": d.claimed_hours})
            route.detail = _("; ").join(parts)
            if d.certificate_id and len(d.certificate.snapshot) > 1:
                # a certificate of several records: say which record changes to what (R6)
                route.correctable = [{"id": i["id"], "label": f"{i['date']} {i['activity']}", "hours": i["hours"]}
                                     for i in d.certificate.snapshot]
        elif route.reference in requests:
            q = requests[route.reference]
            hours = sum(r.hours for r in q.records.all())
            parts = [_("%(name)s (%(id)s) asks for %(count)s records, %(hours)s hours in all") % {
                "name": q.volunteer.real_name, "id": q.volunteer.masked_id, "count": len(q.records.all()),
                "hours": hours}]
            if q.seal_requested:
                parts.append(_("seal requested"))
            if q.purpose:
                parts.append(_("purpose: %(purpose)s") % {"purpose": q.purpose})
            route.detail = _("; ").join(parts)


def _field(request, name, default=None):
    """A posted field without NUL characters (PostgreSQL refuses them in text: a 500 otherwise)."""
    value = request.POST.get(name, default)
    return value.replace("\x00", "") if isinstance(value, str) else value


def _pk(request, name) -> int:
    """A posted id; anything that is not a number matches nothing (not a 500)."""
    try:
        return int(_field(request, name) or 0)
    except ValueError:
        return 0


def _back(request, exc=None, ok=None):
    if exc is not None:
        messages.error(request, exc.message)
    elif ok:
        messages.success(request, ok)
    return redirect(portal_url("certification"))


@login_required
@require_POST
def portal_register(request):
    """A person registers themself as a volunteer (real name, validated ID number), or, with
    the claim code the organization that entered them handed over, takes that record as
    theirs. The answer never says whether the number is already known (issue #16)."""
    if identity_throttled(request):
        return _back(request, DomainError(_("Too many attempts; try again later.")))
    claim_code = (_field(request, "claim_code") or "").strip()
    if not claim_code and not _field(request, "consent"):
        return _back(request, DomainError(_("Confirm that you agree to the recording of your volunteer service.")))
    try:
        if claim_code:
            v = volunteer_claim(actor=request.user, id_number=_field(request, "id_number", ""), code=claim_code,
                                district=_field(request, "district", ""))
            return _back(request, ok=_("You have claimed the volunteer details your organization entered; volunteer number "
                                                "%(number)s.") % {"number": v.volunteer_number})
        v = volunteer_register(actor=request.user, user=request.user, real_name=_field(request, "real_name", ""),
                               id_number=_field(request, "id_number", ""), phone=_field(request, "phone", ""),
                               district=_field(request, "district", ""))
    except DomainError as exc:
        _one_message(exc)
        return _back(request, exc)
    return _back(request, ok=_("Registered; volunteer number %(number)s.") % {"number": v.volunteer_number})


@login_required
@require_POST
def portal_claim_code(request):
    """The organization that entered a volunteer issues the one-time claim code to hand them;
    it is shown once."""
    if identity_throttled(request):
        return _back(request, DomainError(_("Too many attempts; try again later.")))
    key = (_field(request, "volunteer") or "").strip().upper()
    entered = Volunteer.objects.filter(registered_by_id__in=rights.organization_ids(request.user), user__isnull=True)
    volunteer = (entered.filter(volunteer_number=key).first() or entered.filter(id_number=key).first()) if key else None
    try:
        if volunteer is None:
            raise DomainError(_("Volunteer not found."))
        code, claim = claim_code_issue(actor=request.user, volunteer_id=volunteer.pk)
    except DomainError as exc:
        return _back(request, exc)
    until = timezone.localtime(claim.expires_at)
    return _back(request, ok=_("Claim code of %(name)s (%(number)s): %(code)s, valid until %(until)s. Hand it "
                                "to the volunteer in person, to be entered when registering.") % {
        "name": volunteer.masked_name, "number": volunteer.volunteer_number, "code": code,
        "until": f"{until:%Y-%m-%d %H:%M}"})


def _one_message(exc):
    if getattr(exc, "fields", None):
        exc.message = "；".join(str(m) for msgs in exc.fields.values() for m in msgs)


@login_required
@require_POST
def portal_request(request):
    volunteer = selectors.volunteer_for(request.user)
    org = Organization.objects.filter(pk=_pk(request, "organization")).first()
    if volunteer is None or org is None:
        return _back(request, DomainError(_("Choose the recording organization.")))
    try:
        case = request_create(actor=request.user, volunteer=volunteer, organization=org,
                              purpose=_field(request, "purpose", ""),
                              seal_requested=bool(_field(request, "seal_requested")),
                              include_training=bool(_field(request, "include_training")),
                              include_evaluation=bool(_field(request, "include_evaluation")),
                              include_honours=bool(_field(request, "include_honours")))
    except DomainError as exc:
        return _back(request, exc)
    return _back(request, ok=_("Certificate request %(reference)s submitted; %(handler)s handles it.") % {
        "reference": case.reference, "handler": case.handling_organization or case.department})


@login_required
@require_POST
def portal_dispute(request):
    volunteer = selectors.volunteer_for(request.user)
    if volunteer is None:
        raise PermissionDenied
    record = ServiceRecord.objects.filter(pk=_pk(request, "record"), volunteer=volunteer).first()
    cert = Certificate.objects.filter(number=_field(request, "certificate") or "", volunteer=volunteer).first()
    return act(request, lambda: dispute_file(
        actor=request.user, record=record, certificate=cert, claim=_field(request, "claim", ""),
        claimed_hours=_field(request, "claimed_hours") or None),
        lambda case: _("Dispute %(reference)s filed.") % {"reference": case.reference}, back=portal_url("certification"))


@login_required
@require_POST
def portal_appeal(request, reference):
    return act(request, lambda: dispute_appeal(actor=request.user, reference=reference, reason=_field(request, "reason", "")),
               _("Dispute %(reference)s appealed to the supervising department.") % {"reference": reference}, back=portal_url("certification"))


@login_required
@require_POST
def portal_decide(request, task_id):
    """An organization's manager works a task handed to it (verify, seal, dispute review)."""
    hours = _field(request, "hours")
    if not TaskRoute.objects.filter(pk=task_id, process_name="certification").exists():
        raise Http404(_("No such task."))
    corrections = [{"record": key[len("hours_"):], "hours": value} for key, value in request.POST.items()
                   if key.startswith("hours_") and value.strip()]
    data = {"corrections": corrections} if corrections else ({"hours": hours} if hours else {})
    return act(request, lambda: task_complete(actor=request.user, task_id=task_id, decision=_field(request, "decision", ""),
                                              reason=_field(request, "reason", ""), data=data),
               _("Done."), back=portal_url("certification"))


@login_required
def portal_dispute_documents(request, reference):
    """A dispute's evidence for its parties and deciders: the list, and the upload (R6)."""
    case = Dispute.objects.filter(reference=reference).select_related("volunteer").first()
    if case is None or case_access_for(request.user, case) is None:
        raise Http404(_("No such dispute."))
    return render(request, "certification/dispute_documents.html", {"case": case})


@login_required
def portal_record_evidence(request, record_id):
    """A back-filled record's evidence (R12): the list, and the upload for the recording
    organization's managers while the record waits for review. Whoever may not see it (another
    organization, an unrelated volunteer, a sign-in record) gets "no such record" (404)."""
    record = (ServiceRecord.objects.filter(pk=record_id, source=ServiceRecord.Source.BACKFILL)
              .select_related("volunteer", "activity__organization__supervising_department", "entered_by",
                              "reviewed_by").first())
    access = backfill_access(request.user, record) if record is not None else None
    if access is None:
        raise Http404(_("No such record."))
    party = record.visible_to(request.user)
    return render(request, "certification/record_evidence.html", {
        "record": record, "party": party,
        "back": portal_url("certification") if party else reverse("certificates:backfills"),
    })
