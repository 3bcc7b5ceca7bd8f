"""Disputes (异议): file, organizer review, appeal, supervisor review, escalation, lapse
(R6, R9, R10, D2). See ``flows.DisputeFlow``."""
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.audit.services import audit_record
from engine.cases.actions import open_routes_for_case
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.cases.numbering import case_creation
from engine.cases.routing import reroute, sla_working_days
from engine.cases.services import case_of_task, case_step, case_transition, run_handle
from engine.directory.models import Membership, Role
from engine.notifications.services import Text, notify
from engine.workdays.calendar import add_days, add_working_days

from .. import conf
from ..flows import DisputeFlow
from ..models import Certificate, Dispute, ServiceRecord
from .certificates import reissue_for_records
from .inputs import TEXT_MAX_LENGTH, bounded_text, parse_hours
from .registry import record_correct
from .routing import ensure_current_handler, hand_to_organization, organization_takes_task, responsible

OPEN_STATES = (Dispute.Status.ORGANIZER_REVIEW, Dispute.Status.REFUSED, Dispute.Status.SUPERVISOR_REVIEW)


@case_creation()
def _case_of(task_id) -> Dispute:
    return case_of_task(task_id, Dispute.objects.select_related("handling_organization"))


def dispute_file(*, actor, claim, record=None, certificate=None, claimed_hours=None) -> Dispute:
    """The volunteer contests one of their records or certificates (R6). The review goes to
    the organization that answers for the recording unit now, else to its supervising
    department (R9)."""
    if (record is None) == (certificate is None):
        raise RuleViolation(_("Choose a record or a certificate to dispute."))
    claim = bounded_text(claim, "claim", TEXT_MAX_LENGTH)
    if not claim.strip():
        raise RuleViolation(_("Describe your claim."), fields={"claim": [_("Required.")]})
    target = record or certificate
    volunteer = target.volunteer
    if not volunteer.user_id or volunteer.user_id != actor.pk:
        raise NotAllowed(_("You can only dispute your own records or certificates."))
    if record is not None:
        if record.is_deleted or not record.is_current:
            raise StateConflict(_("The record was deleted or has a newer version."))
        organization = record.activity.organization
        clash = Dispute.objects.filter(record=record, status__in=OPEN_STATES)
    else:
        if certificate.status != Certificate.Status.VALID:
            raise StateConflict(_("Only a valid certificate can be disputed."))
        organization = certificate.request.organization
        clash = Dispute.objects.filter(certificate=certificate, status__in=OPEN_STATES)
    if clash.exists():
        raise StateConflict(_("A dispute about this is already open."))
    hours = parse_hours(claimed_hours, "claimed_hours") if claimed_hours not in (None, "") else None
    handler, department = responsible(organization)
    case = Dispute.objects.create(
        department=department, supervisor=department, created_by=actor, volunteer=volunteer,
        record=record, certificate=certificate, organization=organization, handling_organization=handler,
        claim=claim.strip(), claimed_hours=hours,
    )
    audit_record(actor=actor, action="certification.dispute.file", obj=case,
                 after={"status": case.status, "record": getattr(record, "pk", None),
                        "certificate": getattr(certificate, "number", None), "claimed_hours": hours,
                        "handler": getattr(handler, "pk", None), "department": department.code})
    DisputeFlow.start.run(case=case)
    _set_review_deadline(case)
    hand_to_organization(case, handler)
    return case


def _set_review_deadline(case):
    """R6: the organizer review's due time is its own setting (default 10 working days),
    longer than the engine's default step time."""
    days = conf.organizer_review_working_days()
    for route in open_routes_for_case(case):
        route.due_at, route.due_provisional = add_working_days(route.created_at, days)
        route.sla_working_days = days
        route.save(update_fields=["due_at", "due_provisional", "sla_working_days"])




def _take(task_id, actor, case):
    """Organizer review is the handling organization's (R1, R9); after escalation or appeal
    the supervising department's reviewers work it through their queue."""
    if case.status == Dispute.Status.ORGANIZER_REVIEW:
        organization_takes_task(task_id=task_id, actor=actor, organization=case.handling_organization)


def _corrections(case, data) -> list[tuple[ServiceRecord, object, object]]:
    items = data.get("corrections") or []
    if not items:
        hours = data.get("hours") or case.claimed_hours
        record_id = case.record_id
        if record_id is None and case.certificate_id and len(case.certificate.record_ids()) == 1:
            record_id = next(iter(case.certificate.record_ids()))  # a one-record certificate
        if record_id is None:
            raise RuleViolation(_("The certificate has several records; name each record to correct and its hours."),
                                fields={"corrections": [_("Required.")]})
        if hours in (None, ""):
            raise RuleViolation(_("Enter the corrected service hours."), fields={"hours": [_("Required.")]})
        items = [{"record": record_id, "hours": hours, "content": data.get("content")}]
    allowed = ({case.record_id} if case.record_id else set()) | (
        case.certificate.record_ids() if case.certificate_id else set())
    out = []
    for item in items:
        try:
            rid = int(item["record"])
        except (KeyError, TypeError, ValueError):
            raise RuleViolation(_("A correction is missing its record number.")) from None
        if rid not in allowed:
            raise RuleViolation(_("Only the records under dispute can be corrected."), fields={"corrections": [_("The record is not part of the dispute.")]})
        record = ServiceRecord.objects.select_for_update().select_related("activity__organization", "volunteer").get(pk=rid)
        if not record.is_current:
            raise StateConflict(_("The record has a newer version; refresh and try again."))
        out.append((record, item.get("hours"), item.get("content")))
    return out


@transaction.atomic
def dispute_uphold(*, actor, task_id, reason="", data=None):
    """The dispute stands: each contested record gets a corrected new version (R6), and every
    valid certificate built on them is reissued and the old one superseded (R10)."""
    reason = bounded_text(reason, "reason")  # also the corrected records' correction reason
    if not reason.strip():
        raise RuleViolation(_("Give your decision."), fields={"reason": [_("Required.")]})
    data = data or {}
    case = ensure_current_handler(_case_of(task_id))
    _take(task_id, actor, case)
    with case_step(task_id=task_id, actor=actor, decision="uphold", reason=reason) as step:
        step.case.uphold(reason)
        corrected = {}
        for record, hours, content in _corrections(step.case, data):
            corrected[record.pk] = record_correct(actor=actor, record=record, hours=hours, reason=reason,
                                                  content=content)
        new_certs = reissue_for_records(corrected=corrected, actor=actor, reason=reason)
        step.audit_after.update({
            "corrected": {old: new.pk for old, new in corrected.items()},
            "reissued": [c.number for c in new_certs],
        })
    _tell_volunteer(step.case, gettext_lazy("Your dispute was upheld and the record corrected: %(r)s"), reason)
    return step.case


@transaction.atomic
def dispute_refuse(*, actor, task_id, reason="", data=None):
    """Refuse with reasons. The organizer's refusal opens the appeal period (setting); the
    supervising department's refusal is final."""
    reason = bounded_text(reason, "reason", TEXT_MAX_LENGTH)
    if not reason.strip():
        raise RuleViolation(_("Give the reason for not correcting the record."), fields={"reason": [_("Required.")]})
    case = ensure_current_handler(_case_of(task_id))
    _take(task_id, actor, case)
    with case_step(task_id=task_id, actor=actor, decision="refuse", reason=reason) as step:
        if step.case.status == Dispute.Status.ORGANIZER_REVIEW:
            until, _prov = add_days(timezone.now(), conf.appeal_days(), working=conf.appeal_working_days())
            step.case.refuse(reason, until)
            step.audit_after["appeal_until"] = until
        else:
            step.case.refuse_final(reason)
    _tell_volunteer(step.case, gettext_lazy("Your dispute was decided: %(r)s"), reason)
    return step.case


@transaction.atomic
def dispute_appeal(*, actor, reference, reason):
    """The volunteer appeals a refusal within the appeal period to the supervising department."""
    reason = bounded_text(reason, "reason", TEXT_MAX_LENGTH)
    if not reason.strip():
        raise RuleViolation(_("Give the grounds for appeal."), fields={"reason": [_("Required.")]})
    case = _by_reference(reference)

    def check(case, actor):
        if case.volunteer.user_id != actor.pk:
            raise NotAllowed(_("Only the volunteer who filed the dispute can appeal."))
        if case.status == Dispute.Status.REFUSED and case.appeal_until and timezone.now() > case.appeal_until:
            raise StateConflict(_("The appeal period has ended."), code="deadline_passed")

    with case_transition(model=Dispute, pk=case.pk, actor=actor, action="certification.dispute.appeal",
                         reason=reason, check=check) as step:
        step.case.appeal(reason)
    run_handle(step.case, DisputeFlow.appeal_window)
    return step.case


@transaction.atomic
def dispute_close_lapsed(*, case_id, now=None):
    """The appeal period ran out without an appeal: the dispute is closed."""
    now = now or timezone.now()

    def lapsed(case, actor):
        if case.status != Dispute.Status.REFUSED or case.appeal_until > now:
            raise StateConflict(_("The appeal period has not ended yet."))

    with case_transition(model=Dispute, pk=case_id, actor=None, action="certification.dispute.close",
                         reason=_("The appeal period ended without an appeal"), check=lapsed) as step:
        step.case.close()
    run_handle(step.case, DisputeFlow.appeal_window)
    return step.case


def dispute_escalate(*, route, now):
    """D2 via ``HumanStep.on_escalate``: an organizer review still overdue goes to the
    supervising department's reviewers, who then decide it (uphold, or a final refusal).
    Runs inside the SLA sweep's transaction with the route locked."""
    case = Dispute.objects.select_for_update().get(pk=route.case_id)
    if case.status != Dispute.Status.ORGANIZER_REVIEW:
        return
    before = {"status": case.status, "department": route.department.code, "owner": route.owner_id}
    case.escalate()
    case.save()
    reroute(route, case.supervisor, Role.REVIEWER, action="task.escalate", reason=_("The organizer did not review in time"),
            escalation=True, due_from=now, working_days=sla_working_days("certification", route.task.flow_task))
    heads = [m.user for m in Membership.objects.filter(
        department=case.supervisor, role__in=[Role.HEAD, Role.REVIEWER]).select_related("user")]
    notify(heads, kind="certification.escalated", reference=case.reference,
           title=Text(gettext_lazy("Dispute not reviewed in time, passed to the supervising department: %(r)s"), r=case.reference), body=case.claim[:200],
           link=route.get_absolute_url())
    audit_record(actor=None, action="certification.dispute.escalate", obj=case, before=before,
                 after={"status": case.status, "department": case.supervisor.code}, reason=_("The organizer did not review in time"))


def _tell_volunteer(case, title, body):
    if case.volunteer.user_id:
        notify([case.volunteer.user], kind="certification.dispute", reference=case.reference,
               title=Text(title, r=case.reference), body=body, link=reverse("portal:section", args=["certification"]))


def _by_reference(reference) -> Dispute:
    try:
        return Dispute.objects.get(reference=reference)
    except Dispute.DoesNotExist:
        raise NotFound(_("No such dispute.")) from None

