"""Reads of the certification process: totals and stars (R13, R14), a volunteer's own view
(R5), the register (R8), and what the periodic sweep must act on."""
from datetime import timedelta
from decimal import Decimal

from django.db.models import F, Q, Sum
from django.utils import timezone

from engine.directory import rights
from engine.directory.models import Department, Organization
from engine.processes import hooks

from . import conf
from .models import (
    Activity,
    ActivityParticipant,
    Attendance,
    Certificate,
    CertificateRequest,
    Commendation,
    Dispute,
    InsurancePolicy,
    ServiceRecord,
    Volunteer,
)


def approved_hours(volunteer) -> Decimal:
    """R13: approved, current, non-deleted service hours only (training, commendation and
    evaluation entries are part of the record, R2a, but are not service hours)."""
    total = (ServiceRecord.objects.counting().filter(volunteer=volunteer, activity__category=Activity.Category.SERVICE)
             .aggregate(t=Sum("hours"))["t"])
    return (total or Decimal("0")).quantize(Decimal("0.01"))


def stars_for(hours: Decimal) -> int:
    """R14: one star per threshold reached, at most five (there is no sixth star)."""
    return min(conf.MAX_STARS, sum(1 for t in conf.star_thresholds() if hours >= t))


def next_threshold(hours: Decimal):
    for t in conf.star_thresholds():
        if hours < t:
            return t
    return None


def volunteer_for(user):
    if user is None or not user.is_authenticated:
        return None
    return Volunteer.objects.filter(user=user).first()


def acquaintance_rows(organization_ids) -> list:
    """Who the organizations ``organization_ids`` already deal with, as querysets of
    ``{"organization", "volunteer"}`` rows: those each entered (R4), those on a roster of its
    activities, those with a sign-in or a record at its activities, and what every installed
    app's ``volunteers_known_to(organization_ids)`` hook adds (recruitment: who signed up for its
    recruitments). The one reading of "known to", for a form's lookup and an export alike."""
    ids = list(organization_ids)
    return [
        Volunteer.objects.filter(registered_by_id__in=ids).values(organization=F("registered_by"), volunteer=F("pk")),
        Attendance.objects.filter(activity__organization_id__in=ids).values("volunteer", organization=F("activity__organization")),
        # put on one of its rosters (with the ID number they handed over, seed 二(三))
        ActivityParticipant.objects.filter(activity__organization_id__in=ids).values(
            "volunteer", organization=F("activity__organization")),
        ServiceRecord.objects.filter(activity__organization_id__in=ids).values(
            "volunteer", organization=F("activity__organization")),
        *(source(ids) for source in hooks("volunteers_known_to")),
    ]


def volunteers_known_to(organization):
    """Volunteers an organization already deals with (``acquaintance_rows``). Its on-the-spot
    sign-ins and back-fills reach only these (issue #16): a form must not find, by ID number, a
    person who never came to it."""
    known = Q()
    for rows in acquaintance_rows([getattr(organization, "pk", organization)]):
        known |= Q(pk__in=rows.values("volunteer"))
    return Volunteer.objects.filter(known)


def volunteer_for_organization(organization, key, id_number=""):
    """The volunteer an organization's form names: by volunteer number or ID number among
    those it knows (``volunteers_known_to``); anyone else only by volunteer number together
    with the matching ID number, both handed over by the person. None otherwise — the same
    answer whether or not the number is registered anywhere."""
    key, id_number = (key or "").strip().upper(), (id_number or "").strip().upper()
    if not key:
        return None
    known = volunteers_known_to(organization)
    found = known.filter(volunteer_number=key).first() or known.filter(id_number=key).order_by("pk").first()
    if found is None and id_number:
        found = Volunteer.objects.filter(volunteer_number=key, id_number=id_number).first()
    return found


def is_known_to(volunteer, organization, id_number="") -> bool:
    """True when ``organization`` may reach ``volunteer`` (see ``volunteer_for_organization``)."""
    if id_number and (id_number or "").strip().upper() == volunteer.id_number:
        return True
    return volunteers_known_to(organization).filter(pk=volunteer.pk).exists()


def volunteer_records(volunteer):
    """R5: the volunteer sees their full record, every version, deleted ones marked."""
    return (ServiceRecord.objects.filter(volunteer=volunteer)
            .select_related("volunteer", "activity", "activity__organization").order_by("-activity__start_at", "-version"))


def volunteer_overview(volunteer) -> dict:
    hours = approved_hours(volunteer)
    return {
        "volunteer": volunteer,
        "hours": hours,
        "stars": stars_for(hours),
        "next_threshold": next_threshold(hours),
        "records": list(volunteer_records(volunteer)),
        "requests": list(CertificateRequest.objects.filter(volunteer=volunteer)
                         .select_related("organization", "handling_organization", "department", "volunteer")
                         .prefetch_related("certificates").order_by("-created_at")),
        "certificates": list(Certificate.objects.filter(volunteer=volunteer)
                             .select_related("superseded_by", "request", "volunteer").order_by("-issued_at")),
        "disputes": list(Dispute.objects.filter(volunteer=volunteer)
                         .select_related("organization", "volunteer", "certificate", "supervisor", "department")
                         .order_by("-created_at")),
    }


def _supervises_all(user) -> bool:
    """The city 民政局 supervises certificates city-wide (DOMAIN: certificate supervision)."""
    if user.is_superuser:
        return True
    depts = rights.department_ids(user)
    return bool(depts) and Department.objects.filter(
        pk__in=depts, kind=Department.Kind.MCA, level=Department.Level.CITY).exists()


def _supervised(prefix, depts) -> Q:
    """Organizations a department supervises, directly or as the parent of the supervising
    department (where overdue work escalates, D2). D1: never another district's."""
    return (Q(**{f"{prefix}supervising_department_id__in": depts})
            | Q(**{f"{prefix}supervising_department__parent_id__in": depts}))


def records_visible_to(user):
    """The city 民政局 sees all; another department the records of organizations it
    supervises (D1); organizations their own; a volunteer their own (R5)."""
    qs = ServiceRecord.objects.select_related("volunteer", "activity", "activity__organization")
    if _supervises_all(user):
        return qs
    depts = rights.department_ids(user)
    return qs.filter(Q(activity__organization_id__in=rights.organization_ids(user)) | Q(volunteer__user=user)
                     | _supervised("activity__organization__", depts))


def department_approves_backfill(record) -> bool:
    """R12 for one record (``ServiceRecordQuerySet.with_backfill_approver``): True when the
    supervising department, not another manager, approves this back-fill. Reads the
    annotation when the record was loaded with it, else asks in one query."""
    if hasattr(record, "department_approves"):
        return record.department_approves
    return (ServiceRecord.objects.with_backfill_approver().filter(pk=record.pk)
            .values_list("department_approves", flat=True).get())


def backfills_for_department(user):
    """Pending back-fills a department approves (R12): of organizations it supervises that
    have no manager other than the one who entered the record."""
    depts = rights.department_ids(user)
    return (ServiceRecord.objects.current().with_backfill_approver()
            .filter(status=ServiceRecord.Status.PENDING, department_approves=True,
                    activity__organization__supervising_department_id__in=depts)
            .select_related("volunteer", "activity__organization", "entered_by").order_by("entered_at", "pk"))


def certificates_visible_to(user):
    """As records (D1), plus the department a request was routed to (R9 fallback)."""
    qs = Certificate.objects.select_related("volunteer", "issuer", "superseded_by", "request")
    if _supervises_all(user):
        return qs
    orgs = rights.organization_ids(user)
    depts = rights.department_ids(user)
    return qs.filter(Q(issuer_id__in=orgs) | Q(request__organization_id__in=orgs) | Q(volunteer__user=user)
                     | Q(request__department_id__in=depts) | _supervised("request__organization__", depts))


def may_see_verification_code(user, cert) -> bool:
    """The code is the volunteer's to hand out (R10): the volunteer and the organization that
    issued or recorded it (it gives it to a volunteer without an account, R7) see it;
    supervising staff see the register without it."""
    if user.is_superuser or (cert.volunteer.user_id and cert.volunteer.user_id == user.pk):
        return True
    orgs = rights.organization_ids(user)
    return cert.issuer_id in orgs or cert.request.organization_id in orgs


def requests_visible_to(user):
    qs = CertificateRequest.objects.select_related("volunteer", "organization", "handling_organization", "department")
    if user.is_superuser:
        return qs
    orgs = rights.organization_ids(user)
    return qs.filter(Q(volunteer__user=user) | Q(organization_id__in=orgs) | Q(handling_organization_id__in=orgs)
                     | Q(department_id__in=rights.department_ids(user)))


def disputes_visible_to(user):
    qs = Dispute.objects.select_related("volunteer", "organization", "handling_organization", "supervisor",
                                        "department", "certificate")
    if user.is_superuser:
        return qs
    orgs = rights.organization_ids(user)
    depts = rights.department_ids(user)
    return qs.filter(Q(volunteer__user=user) | Q(organization_id__in=orgs) | Q(handling_organization_id__in=orgs)
                     | Q(department_id__in=depts) | Q(supervisor_id__in=depts))


def notices_due(now):
    return list(CertificateRequest.objects.filter(status=CertificateRequest.Status.NOTICE, notice_until__lte=now).values_list("pk", flat=True))


def disputes_lapsed(now):
    return list(Dispute.objects.filter(status=Dispute.Status.REFUSED, appeal_until__lt=now).values_list("pk", flat=True))


def activities_open_for_signin(now=None):
    """Service and training activities a volunteer may sign in to now (R12): from the
    setting's minutes before the start until the end."""


    now = now or timezone.now()
    return (Activity.objects.filter(category__in=[Activity.Category.SERVICE, Activity.Category.TRAINING], end_at__gte=now,
                                    start_at__lte=now + timedelta(minutes=conf.signin_opens_minutes()),
                                    organization__status=Organization.Status.ACTIVE)
            .select_related("organization").order_by("start_at"))


def open_attendances(volunteer, now=None):
    """The volunteer's sign-ins still waiting for a sign-out, while sign-out is possible."""


    now = now or timezone.now()
    return (Attendance.objects.filter(volunteer=volunteer, signed_out_at__isnull=True,
                                      activity__end_at__gte=now - timedelta(minutes=conf.signout_closes_minutes()))
            .select_related("activity__organization").order_by("activity__start_at"))


def cases_to_reroute():
    """Open organization steps whose handling organization has merged or dissolved (R9)."""
    requests = CertificateRequest.objects.filter(
        status__in=[CertificateRequest.Status.VERIFYING, CertificateRequest.Status.SEALING]).exclude(
        handling_organization__isnull=True).exclude(handling_organization__status=Organization.Status.ACTIVE)
    disputes = Dispute.objects.filter(status=Dispute.Status.ORGANIZER_REVIEW).exclude(
        handling_organization__isnull=True).exclude(handling_organization__status=Organization.Status.ACTIVE)
    return [(CertificateRequest, pk) for pk in requests.values_list("pk", flat=True)] + [
        (Dispute, pk) for pk in disputes.values_list("pk", flat=True)]


def standing_commendations(*, volunteer=None, organization_ids=()):
    """Seed 二(四): the departments' commendations not revoked, of a volunteer or of organizations."""
    query = Commendation.objects.standing().select_related("department", "organization")
    if volunteer is not None:
        return query.filter(volunteer=volunteer).order_by("-commended_on", "-pk")
    return query.filter(organization_id__in=organization_ids).order_by("-commended_on", "-pk")


def participant_rows(activity_ids) -> list:
    """PR1: who takes part in the activities ``activity_ids``, as querysets of ``{"activity",
    "volunteer"}`` rows: their rosters, and what every installed app's
    ``activity_participants(activity_ids)`` hook adds (``engine.processes.hooks``; recruitment:
    the volunteers selected). The one reading of "participant", for the service's check and for
    pages alike."""
    return [ActivityParticipant.objects.filter(activity_id__in=activity_ids).values("activity", "volunteer"),
            *(source(activity_ids) for source in hooks("activity_participants"))]


def cover_overview(activities) -> None:
    """PR1 for a page: set ``uncovered`` (the participants no covering policy insures, in
    volunteer number order) on each dangerous activity of ``activities``, in a fixed number of
    queries however many there are."""
    dangerous = [a for a in activities if a.dangerous]
    for a in activities:
        a.uncovered = []
    if not dangerous:
        return
    taking_part = {}
    for rows in participant_rows([a.pk for a in dangerous]):
        for row in rows:
            taking_part.setdefault(row["activity"], set()).add(row["volunteer"])
    volunteers = Volunteer.objects.in_bulk(set().union(*taking_part.values()))
    policies = list(InsurancePolicy.objects.filter(organization_id__in={a.organization_id for a in dangerous})
                    .prefetch_related("insured"))
    for a in dangerous:
        first, last = timezone.localdate(a.start_at), timezone.localdate(a.end_at)
        covered = {v.pk for p in policies if p.organization_id == a.organization_id and p.starts_on <= first
                   and p.ends_on >= last for v in p.insured.all()}
        a.uncovered = sorted((volunteers[pk] for pk in taking_part.get(a.pk, ()) if pk not in covered),
                             key=lambda v: v.volunteer_number)


def commendations_visible_to(user):
    """CM1: the commending departments' staff see theirs; a volunteer their own; an organization's
    members their organization's."""
    if user.is_superuser:
        return Commendation.objects.all()
    return Commendation.objects.filter(
        Q(department_id__in=rights.department_ids(user)) | Q(volunteer__user_id=user.pk)
        | Q(organization_id__in=rights.organization_ids(user)))
