"""Volunteers, activities and service records (R1–R4, R6, R12, R13)."""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import TransitionNotAllowed

from engine.audit.services import audit_record
from engine.cases import bulk
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.cases.models import format_reference, next_number
from engine.directory import rights
from engine.directory.models import District, Membership
from engine.documents.services import require_documents
from engine.notifications.services import Text, notify
from engine.workdays.calendar import add_working_days
from processes.timebank.services import ledger as time_bank

from .. import conf
from ..documents import BACKFILL_APPROVE
from ..models import Activity, Certificate, CertificateRequest, ServiceRecord, Volunteer
from ..selectors import department_approves_backfill, is_known_to
from .entries import check_entry
from .inputs import REASON_MAX_LENGTH, TEXT_MAX_LENGTH, bounded_text, parse_hours  # noqa: F401 (re-exported)
from .routing import is_manager, organization_managers


def _clean(instance):
    try:
        instance.full_clean(exclude=["status"])  # protected FSM field: transitions set it
    except ValidationError as exc:
        raise RuleViolation(_("The submitted data has errors."), fields=exc.message_dict) from None


@transaction.atomic
def volunteer_register(*, actor, real_name, id_number, phone="", consent=False, consent_note="",
                       organization=None, user=None, district=None) -> Volunteer:
    """Register a volunteer. The volunteer registers themself (their own account), or an
    organization enters them with their recorded consent (R4). ID numbers are validated (D6).
    ``district`` (常住区县, a District or its code) counts them toward their district's 2025
    goal (DOMAIN "The 2025 goal").

    A person registering themself gets a record of their own even when an organization
    entered the same ID number: the entered record becomes theirs only with the claim code
    the organization hands them (``services.claims.volunteer_claim``), so neither the link
    nor the answer depends on knowing a name and number, and the answer never says whether
    a number is known (issue #16)."""
    district = _district(district)
    if organization is not None:
        check_entry(organization_ids=rights.organization_ids(actor), organization_id=organization.pk,
                    consent=bool(consent))
    elif user is None or user.pk != actor.pk:
        raise NotAllowed(_("You can only register your own volunteer details."))
    elif Volunteer.objects.select_for_update().filter(user=actor).exists():
        raise StateConflict(_("You are already registered as a volunteer."))
    now = timezone.now()
    year = timezone.localdate(now).year
    volunteer = Volunteer(
        user=user, real_name=(real_name or "").strip(), id_number=(id_number or "").strip().upper(),
        phone=(phone or "").strip(), consent_at=now, registered_by=organization, district=district,
        consent_note=consent_note or (_("Registered in person") if organization is None else _("Entered by the organization, with the volunteer's consent")),
        volunteer_number="pending",
    )
    _clean(volunteer)
    volunteer.volunteer_number = format_reference("ZY", year, next_number("ZY", year))
    try:
        with transaction.atomic():
            volunteer.save()
    except IntegrityError:  # a concurrent registration of the same account (or entry of the same number)
        raise StateConflict(_("This volunteer is already registered.")) from None
    audit_record(
        actor=actor, action="certification.volunteer.register", obj=volunteer,
        reference=volunteer.volunteer_number,
        after={"name": volunteer.real_name, "id": volunteer.masked_id, "consent_at": now,
               "organization": getattr(organization, "pk", None), "district": getattr(district, "code", None)},
    )
    return volunteer


def _district(value):
    """A District, its code or its id; empty means not given. Unknown is a 400."""
    if value in (None, ""):
        return None
    if isinstance(value, District):
        return value
    found = District.objects.filter(code=str(value).strip()).first()
    if found is None and str(value).strip().isdigit():
        found = District.objects.filter(pk=int(str(value).strip())).first()
    if found is None:
        raise RuleViolation(_("No such district."), fields={"district": [_("Choose a valid district.")]})
    return found


@transaction.atomic
def activity_create(*, actor, organization, name, place, start_at, end_at, person_in_charge,
                    category=Activity.Category.SERVICE, content="", dangerous=False) -> Activity:
    """An organization records an activity it runs (R1, R2), possibly dangerous (seed 二(三))."""
    if not rights.acts_for(actor, organization):
        raise NotAllowed(_("Only the organizer can register its own activities (whoever organizes, records)."))
    organization = type(organization).objects.get(pk=organization.pk)  # its status now, not the caller's copy
    if not organization.is_active:
        raise StateConflict(_("The organization was merged or dissolved and can no longer register activities."))
    _check_activity_dates(start_at, end_at)
    activity = Activity(
        organization=organization, name=name, place=place, start_at=start_at, end_at=end_at,
        person_in_charge=person_in_charge, category=category, content=content, created_by=actor,
        dangerous=bool(dangerous),
    )
    _clean(activity)
    activity.save()
    audit_record(actor=actor, action="certification.activity.create", obj=activity,
                 after={"name": name, "organization": organization.pk})
    return activity


def _check_activity_dates(start_at, end_at):
    """Dates in a sane range (issue #16): within the settings' years back and ahead of today."""
    today = timezone.localdate()
    earliest = today.replace(year=today.year - conf.activity_years_back(), month=1, day=1)
    latest = today.replace(year=today.year + conf.activity_years_ahead(), month=12, day=31)
    for field, moment in (("start_at", start_at), ("end_at", end_at)):
        if moment is None or not hasattr(moment, "date"):
            raise RuleViolation(_("Enter a valid start and end time."), fields={field: [_("Required.")]})
        if not earliest <= timezone.localdate(moment) <= latest:
            raise RuleViolation(
                _("The activity date must be between %(a)s and %(b)s.") % {"a": earliest, "b": latest},
                fields={field: [_("Date out of range.")]})


def is_late(activity, entered_at) -> bool:
    """R3: entered more than N working days (setting) after the activity ended."""
    deadline, _provisional = add_working_days(activity.end_at, conf.late_working_days())
    return entered_at > deadline


HOURLESS = (Activity.Category.COMMENDATION, Activity.Category.EVALUATION)


def _record_hours(activity, hours) -> Decimal:
    """R2a: service and training are hours (positive, capped at the activity's length, R12);
    a commendation or an evaluation is not time: it carries none, and hours typed for it
    are refused rather than silently dropped."""
    if activity.category in HOURLESS:
        if hours not in (None, "") and parse_hours_or_zero(hours) != 0:
            raise RuleViolation(_("Commendations and evaluations record no hours; leave the hours empty."), fields={"hours": [_("Not applicable.")]})
        return Decimal("0.00")
    hours = parse_hours(hours)
    _check_cap(activity, hours, ServiceRecord.Source.BACKFILL)
    return hours


def parse_hours_or_zero(value) -> Decimal:
    """``parse_hours`` that also accepts 0 (a commendation's empty hours)."""
    if str(value).strip() in ("0", "0.0", "0.00"):
        return Decimal("0.00")
    return parse_hours(value)


def _check_cap(activity, hours, source):
    """R12: hours never exceed the activity's length (travel excluded)."""
    if hours > activity.length_hours:
        raise RuleViolation(
            _("Service hours cannot exceed the activity's length of %(cap)s hours.") % {"cap": activity.length_hours},
            fields={"hours": [_("Longer than the activity.")]},
        )


@transaction.atomic
def record_enter(*, actor, volunteer, activity, hours=None, source=ServiceRecord.Source.BACKFILL,
                 content="", submit=False, id_number="") -> ServiceRecord:
    """The organization that ran the activity enters a record by hand (R1): always a back-fill
    (R12) — sign-in records are made only by signing in and out (``services.attendance``).
    Capped at the activity's length; it waits until submitted (at once with ``submit``, as
    the portal's form does) and needs approval by someone other than who entered it (R12).
    A late entry is allowed but flagged (R3). Only for a volunteer the organization knows,
    or who handed over their ID number (``id_number``): no pending record on someone who
    never came, and "not found" reads the same as for an unknown volunteer (issue #16)."""
    activity = Activity.objects.select_related("organization").get(pk=activity.pk)
    if not rights.acts_for(actor, activity.organization):
        raise NotAllowed(_("Only the organization that organized the activity can enter records (whoever organizes, records)."))
    if not is_known_to(volunteer, activity.organization, id_number):
        raise NotFound(_("Volunteer not found."))
    if source != ServiceRecord.Source.BACKFILL:
        raise RuleViolation(
            _("Sign-in/sign-out records are made by the system from the sign-in and sign-out times and cannot be entered by hand; hours entered by hand are always a back-fill."),
            fields={"source": [_("A record entered by hand can only be a back-fill.")]},
        )
    hours = _record_hours(activity, hours)
    now = timezone.now()
    if activity.start_at > now:
        raise RuleViolation(_("The activity has not started yet; hours cannot be entered."))
    if ServiceRecord.objects.current().filter(volunteer=volunteer, activity=activity).exists():
        raise StateConflict(_("This volunteer already has a record for this activity; to change it, file a dispute."))
    record = ServiceRecord(
        volunteer=volunteer, activity=activity, hours=hours, source=source, entered_by=actor,
        entered_at=now, late=is_late(activity, now), content=content or activity.name,
    )
    if submit:
        record.submit()
    _clean(record)
    record.save()
    audit_record(
        actor=actor, action="certification.record.enter", obj=record, reference=volunteer.volunteer_number,
        after={"status": record.status, "hours": hours, "source": source, "late": record.late},
    )
    if submit:
        transaction.on_commit(lambda: notify_backfill_reviewers(record))
    return record


def notify_backfill_reviewers(record):
    """Tell whoever approves a submitted back-fill (R12) that it waits."""
    if record.source != ServiceRecord.Source.BACKFILL:
        return
    if department_approves_backfill(record):
        dept = record.organization.supervising_department
        users = [m.user for m in Membership.objects.filter(department=dept, user__is_active=True)
                 .select_related("user")]
    else:
        users = [m for m in organization_managers(record.organization) if m.pk != record.entered_by_id]
    notify(users, kind="certification.record", reference=record.volunteer.volunteer_number,
           title=Text(gettext_lazy("Back-filled record to review: %(org)s"), org=record.organization.name),
           body=Text(gettext_lazy("%(name)s · %(activity)s · %(hours)s hours"),
                     name=record.volunteer.masked_name, activity=record.activity.name, hours=record.hours),
           link=reverse("portal:section", args=["certification"]))


def _check_reviewer(actor, record, *, approving):
    """Who approves or denies a record (R12, R13, D3): a sign-in record, any manager of the
    recording organization; a back-fill, a manager other than the one who entered it, or —
    with no other manager — staff of the organization's supervising department."""
    org = record.organization
    if record.is_deleted or not record.is_current:
        raise NotAllowed(_("The record was deleted or corrected and cannot be reviewed."))
    if department_approves_backfill(record):
        if org.supervising_department_id in rights.department_ids(actor):
            return
        if approving or not is_manager(actor, org):
            raise NotAllowed(_("Your organization has no other manager; back-filled records are reviewed by the supervising department (%(d)s).")
                             % {"d": org.supervising_department.name}, code="separation_of_duties")
        return
    if not organization_managers(org) and org.supervising_department_id in rights.department_ids(actor):
        return  # no manager with an account answers: the supervising department reviews (R9)
    if not is_manager(actor, org):
        raise NotAllowed(_("Only a manager of the recording organization can review a record."))
    if approving and record.source == ServiceRecord.Source.BACKFILL and record.entered_by_id == actor.pk:
        raise NotAllowed(_("A back-filled record must be reviewed by a manager other than the one who entered it."), code="separation_of_duties")


def _lock_record(record_id) -> ServiceRecord:
    try:
        return (ServiceRecord.objects.select_for_update(of=("self",)).with_backfill_approver()
                .select_related("activity__organization__supervising_department").get(pk=record_id))
    except (ServiceRecord.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such record.")) from None


def _transition(record, actor, action, func, reason=""):
    before = record.status
    try:
        func()
    except TransitionNotAllowed:
        raise StateConflict(
            _("The record is “%(s)s” and cannot be handled this way.") % {"s": record.get_status_display()}
        ) from None
    record.save()
    audit_record(actor=actor, action=action, obj=record, reference=record.volunteer.volunteer_number,
                 before={"status": before}, after={"status": record.status}, reason=reason)
    return record


@transaction.atomic
def record_submit(*, actor, record_id) -> ServiceRecord:
    """A back-filled record goes to review (entered → pending)."""
    record = _lock_record(record_id)
    if not rights.acts_for(actor, record.organization) or record.is_deleted:
        raise NotAllowed()
    record = _transition(record, actor, "certification.record.submit", record.submit)
    transaction.on_commit(lambda: notify_backfill_reviewers(record))
    return record


@transaction.atomic
def record_approve(*, actor, record_id, reason="") -> ServiceRecord:
    """Approve (pending → approved); who may, see ``_check_reviewer`` (R12, D3). A back-fill's
    evidence may be required first (``DOCUMENT_REQUIRED_KINDS["certification.backfill_approve"]``,
    none by default): its kinds must be handed in, else a refusal naming them."""
    reason = bounded_text(reason, "reason")
    record = _lock_record(record_id)
    _check_reviewer(actor, record, approving=True)
    if record.source == ServiceRecord.Source.BACKFILL and record.status == ServiceRecord.Status.PENDING:
        require_documents(record, BACKFILL_APPROVE)
    record = _transition(record, actor, "certification.record.approve", lambda: record.approve(actor, reason), reason)
    time_bank.after_approval(record)  # the time bank credits the hours once this commits (T4)
    return record


@transaction.atomic
def record_deny(*, actor, record_id, reason) -> ServiceRecord:
    reason = bounded_text(reason, "reason")
    record = _lock_record(record_id)
    if not (reason or "").strip():
        raise RuleViolation(_("Give the reason for denying."), fields={"reason": [_("Required.")]})
    _check_reviewer(actor, record, approving=False)
    return _transition(record, actor, "certification.record.deny", lambda: record.deny(actor, reason), reason)


@transaction.atomic
def record_delete(*, actor, record_id, reason) -> ServiceRecord:
    """Soft delete (R13): the row stays, it stops counting. A record a valid certificate
    stands on is corrected through a dispute instead."""
    reason = bounded_text(reason, "reason")
    record = _lock_record(record_id)
    if not is_manager(actor, record.organization):
        raise NotAllowed(_("Only a manager of the recording organization can delete a record."))
    if not (reason or "").strip():
        raise RuleViolation(_("Give the reason for deleting."), fields={"reason": [_("Required.")]})
    if record.is_deleted:
        raise StateConflict(_("The record has been deleted."))
    if any(record.pk in c.record_ids() for c in Certificate.objects.filter(
            volunteer=record.volunteer, status=Certificate.Status.VALID)):
        raise StateConflict(_("The record is on a valid certificate; correct it through a dispute."))
    if CertificateRequest.objects.filter(records=record, status__in=CertificateRequest.OPEN_STATES).exists():
        # the certificate is built from it at issue or at the end of the notice (R7, R15)
        raise StateConflict(_("The record is part of an open certificate request; finish that request first."))
    record.is_deleted, record.deleted_at, record.deleted_reason = True, timezone.now(), reason
    record.save(update_fields=["is_deleted", "deleted_at", "deleted_reason"])
    audit_record(actor=actor, action="certification.record.delete", obj=record,
                 reference=record.volunteer.volunteer_number, before={"is_deleted": False},
                 after={"is_deleted": True}, reason=reason)
    time_bank.after_correction(record, None, actor)  # a credited record's hours are taken back (T8)
    return record


def record_correct(*, actor, record, hours, reason, content=None) -> ServiceRecord:
    """R6: a correction is a new version linked to the one it replaces; the old row is kept
    and stops being current. The new version is approved: the organization verified it.
    Call inside the caller's transaction with ``record`` locked."""
    hours = parse_hours(hours)
    reason = bounded_text(reason, "reason")
    _check_cap(record.activity, hours, record.source)
    record.is_current = False
    record.save(update_fields=["is_current"])
    new = ServiceRecord(
        volunteer=record.volunteer, activity=record.activity, hours=hours,
        content=content if content is not None else record.content, source=record.source,
        late=record.late, entered_by=actor, entered_at=timezone.now(), version=record.version + 1,
        previous=record, correction_reason=reason,
    )
    new.submit()
    new.approve(actor, reason)
    _clean(new)
    new.save()
    audit_record(
        actor=actor, action="certification.record.correct", obj=new, reference=record.volunteer.volunteer_number,
        before={"record": record.pk, "version": record.version, "hours": record.hours, "status": record.status},
        after={"record": new.pk, "version": new.version, "hours": new.hours, "status": new.status},
        reason=reason,
    )
    time_bank.after_correction(record, new, actor)  # the time bank reverses and re-posts (T8)
    return new


def current_version(record) -> ServiceRecord:
    """Follow the correction chain to the record's current version (no query when it is current)."""
    if record.is_current:
        return record
    node = record
    while True:
        nxt = ServiceRecord.objects.filter(previous=node).first()
        if nxt is None:
            return node
        node = nxt


def records_approve(*, actor, record_ids, reason="") -> list:
    """Approve many pending records at once (a manager's sign-in records, a department's
    back-fills): each through ``record_approve`` in its own transaction, so one refusal does
    not stop the others; one ``engine.cases.bulk.Outcome`` per record, named by the
    volunteer's number (R12, D3 checked per record)."""
    ids = bulk.item_ids(record_ids)
    numbers = dict(ServiceRecord.objects.filter(pk__in=ids).values_list("pk", "volunteer__volunteer_number"))
    items = [(pk, numbers.get(pk, ""), pk) for pk in ids]
    return bulk.run_each(items, lambda pk: record_approve(actor=actor, record_id=pk, reason=reason))
