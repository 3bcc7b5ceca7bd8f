"""Certificate requests: ask, verify and issue or refuse, seal, public notice, withdraw
(R7–R9, R15). See ``flows.CertificateFlow``."""
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.cases.numbering import case_creation
from engine.cases.services import cancel_open_tasks, case_of_task, case_step, case_transition, run_handle
from engine.directory import rights
from engine.notifications.services import Text, notify
from engine.workdays.calendar import add_days

from .. import conf
from ..flows import CertificateFlow
from ..models import CertificateRequest, ServiceRecord
from .certificates import build_certificate
from .registry import current_version
from .routing import ensure_current_handler, hand_to_organization, organization_takes_task, responsible


def _case_of(task_id) -> CertificateRequest:
    return case_of_task(task_id, CertificateRequest.objects.select_related("handling_organization"))


def _requested_records(volunteer, organization, record_ids):
    qs = ServiceRecord.objects.counting().filter(volunteer=volunteer, activity__organization=organization)
    if record_ids:
        ids = {int(i) for i in record_ids}
        records = list(qs.filter(pk__in=ids))
        if len(records) != len(ids):
            raise RuleViolation(_("Some of the chosen records do not belong to this volunteer or organization, or are not approved."),
                                fields={"records": [_("Invalid records.")]})
        return records
    return list(qs)


@case_creation()
def request_create(*, actor, volunteer, organization, record_ids=None, purpose="", seal_requested=False,
                   include_training=False, include_evaluation=False, include_honours=False) -> CertificateRequest:
    """A volunteer asks the recording organization for a certificate of approved records, or
    the organization asks on behalf of a volunteer who has no account (R7). The request goes
    to whoever answers for the organization now (R9)."""
    if volunteer.user_id and volunteer.user_id == actor.pk:
        on_behalf = False
    elif volunteer.user_id is None and rights.acts_for(actor, organization):
        on_behalf = True
    else:
        raise NotAllowed(_("You can only request a certificate for yourself; the organization requests one on behalf of an unregistered volunteer."))
    records = _requested_records(volunteer, organization, record_ids)
    if not records:
        raise RuleViolation(_("This organization has no approved service records of yours, so it cannot issue a certificate."))
    handler, department = responsible(organization)
    case = CertificateRequest.objects.create(
        department=department, created_by=actor, volunteer=volunteer, organization=organization,
        handling_organization=handler, on_behalf=on_behalf, purpose=purpose[:200],
        seal_requested=bool(seal_requested), include_training=bool(include_training),
        include_evaluation=bool(include_evaluation), include_honours=bool(include_honours),
    )
    case.records.set(records)
    audit_record(actor=actor, action="certification.request.create", obj=case,
                 after={"status": case.status, "records": [r.pk for r in records], "on_behalf": on_behalf,
                        "handler": getattr(handler, "pk", None), "department": department.code})
    CertificateFlow.start.run(case=case)
    hand_to_organization(case, handler)
    return case


def _issue(case, actor, *, sealed=False):
    records = [current_version(r) for r in case.records.select_related("activity__organization")]
    return build_certificate(request=case, records=records, actor=actor, sealed=sealed)


def _after_issue(case, cert):
    if case.volunteer.user_id:
        notify([case.volunteer.user], kind="certification.issued", reference=case.reference,
               title=Text(gettext_lazy("Volunteer service certificate issued: %(n)s"), n=cert.number),
               body=Text(gettext_lazy("Verification code %(c)s; download it from the portal."), c=cert.verification_code), link=reverse("portal:section", args=["certification"]))


def _notice_until():
    return add_days(timezone.now(), conf.public_notice_days(), working=False)[0]


@transaction.atomic
def request_verify(*, actor, task_id, reason="", data=None):
    """The handling organization has checked the stored records: issue now, or go on to the
    seal step (R8) or the public notice (R15)."""
    case = ensure_current_handler(_case_of(task_id))
    organization_takes_task(task_id=task_id, actor=actor, organization=case.handling_organization)
    with case_step(task_id=task_id, actor=actor, decision="issue", reason=reason) as step:
        step.case.verify(notice=conf.public_notice_enabled())
        if step.case.status == CertificateRequest.Status.ISSUED:
            cert = _issue(step.case, actor)
            step.audit_after["certificate"] = cert.number
        elif step.case.status == CertificateRequest.Status.NOTICE:
            step.case.notice_until = _notice_until()
    _after_transition(step.case, actor)
    return step.case


@transaction.atomic
def request_refuse(*, actor, task_id, reason="", data=None):
    """Refuse with a reason (R7: e.g. the records do not bear it out)."""
    if not (reason or "").strip():
        raise RuleViolation(_("Give the reason for refusing."), fields={"reason": [_("Required.")]})
    case = ensure_current_handler(_case_of(task_id))
    organization_takes_task(task_id=task_id, actor=actor, organization=case.handling_organization)
    with case_step(task_id=task_id, actor=actor, decision="refuse", reason=reason) as step:
        step.case.refuse(reason)
    if step.case.volunteer.user_id:
        notify([step.case.volunteer.user], kind="certification.refused", reference=step.case.reference,
               title=Text(gettext_lazy("Certificate request refused: %(r)s"), r=step.case.reference), body=reason, link=reverse("portal:section", args=["certification"]))
    return step.case


@transaction.atomic
def request_seal(*, actor, task_id, reason="", data=None):
    """The seal has been affixed (R8: only on request)."""
    case = ensure_current_handler(_case_of(task_id))
    organization_takes_task(task_id=task_id, actor=actor, organization=case.handling_organization)
    with case_step(task_id=task_id, actor=actor, decision="seal", reason=reason) as step:
        step.case.seal(notice=conf.public_notice_enabled())
        if step.case.status == CertificateRequest.Status.ISSUED:
            step.audit_after["certificate"] = _issue(step.case, actor, sealed=True).number
        else:
            step.case.notice_until = _notice_until()
    _after_transition(step.case, actor)
    return step.case


def _after_transition(case, actor):
    if case.status == CertificateRequest.Status.ISSUED:
        _after_issue(case, case.certificates.order_by("-pk").first())
    else:
        hand_to_organization(case, case.handling_organization)


@transaction.atomic
def request_end_notice(*, case_id, now=None):
    """R15: the notice period is over: issue the certificate and finish the flow."""
    now = now or timezone.now()

    def due(case, actor):
        if case.status != CertificateRequest.Status.NOTICE or case.notice_until > now:
            raise StateConflict(_("The public notice period has not ended yet."))

    with case_transition(model=CertificateRequest, pk=case_id, actor=None,
                         action="certification.request.end_notice", check=due) as step:
        step.case.end_notice()
        cert = _issue(step.case, None, sealed=step.case.seal_requested)
        step.audit_after["certificate"] = cert.number
    run_handle(step.case, CertificateFlow.notice)
    _after_issue(step.case, cert)
    return step.case


@transaction.atomic
def request_withdraw(*, actor, reference, reason=""):
    """The requester withdraws before the certificate is issued."""
    case = _by_reference(reference)

    def check(case, actor):
        if case.created_by_id != actor.pk:
            raise NotAllowed(_("Only the applicant can withdraw the request."))

    with case_transition(model=CertificateRequest, pk=case.pk, actor=actor,
                         action="certification.request.withdraw", reason=reason, check=check) as step:
        step.case.withdraw()
    cancel_open_tasks(step.case, actor)
    return step.case


def _by_reference(reference):
    try:
        return CertificateRequest.objects.get(reference=reference)
    except CertificateRequest.DoesNotExist:
        raise NotFound(_("No such request.")) from None


