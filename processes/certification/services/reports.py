"""Authenticity reports (R10): a third party whose certificate fails verification reports
it; the city 民政局's staff investigate."""
from django.db import transaction
from django.utils.translation import gettext as _

from engine.audit.services import audit_record
from engine.cases.errors import NotFound, RuleViolation
from engine.cases.models import TaskRoute
from engine.cases.numbering import case_creation
from engine.cases.services import case_step
from engine.directory.models import Department

from ..flows import AuthenticityFlow
from ..models import AuthenticityReport, Certificate
from .certificates import certificate_verify, revoke_locked
from .inputs import TEXT_MAX_LENGTH, bounded_text

CITY_MCA = "mca"


@case_creation()
def report_file(*, number, code="", reporter_name, reporter_contact, description, actor=None):
    """Open an authenticity case in 民政局's queue; anyone may file one, without an account.
    NUL characters are dropped: PostgreSQL refuses them in text, and the form is public."""
    number, code, reporter_name, reporter_contact, description = (
        (v or "").replace("\x00", "") for v in (number, code, reporter_name, reporter_contact, description))
    fields = {k: [_("Required.")] for k, v in (("number", number), ("reporter_name", reporter_name),
              ("reporter_contact", reporter_contact), ("description", description)) if not (v or "").strip()}
    if fields:
        raise RuleViolation(_("Fill in every field."), fields=fields)
    description = bounded_text(description, "description", TEXT_MAX_LENGTH)
    number = number.strip().upper()
    result = certificate_verify(number=number, code=code)["result"]
    case = AuthenticityReport.objects.create(
        department=Department.objects.get(code=CITY_MCA, kind=Department.Kind.MCA), created_by=actor,
        number=number[:32], code=(code or "").strip().upper()[:16],
        certificate=Certificate.objects.filter(number=number).first(), verification_result=result,
        reporter_name=reporter_name.strip()[:64], reporter_contact=reporter_contact.strip()[:64],
        description=description.strip(),
    )
    audit_record(actor=actor, action="certification.report.file", obj=case,
                 after={"status": case.status, "number": case.number, "verification_result": result})
    AuthenticityFlow.start.run(case=case)
    return case


def _check(task_id):
    try:
        route = TaskRoute.objects.get(pk=task_id)
    except (TaskRoute.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such task.")) from None
    if route.case_type.model_class() is not AuthenticityReport:
        raise NotFound(_("No such task."))


@transaction.atomic
def report_confirm(*, actor, task_id, reason="", data=None):
    """The certificate presented is not genuine. With ``data["revoke"]`` a matching valid
    certificate whose stored content no longer matches its signature is revoked too."""
    if not (reason or "").strip():
        raise RuleViolation(_("Give the finding."), fields={"reason": [_("Required.")]})
    _check(task_id)
    with case_step(task_id=task_id, actor=actor, decision="confirm", reason=reason) as step:
        step.case.confirm(reason)
        cert = step.case.certificate
        if (data or {}).get("revoke") and cert is not None and cert.status == Certificate.Status.VALID:
            revoke_locked(cert=Certificate.objects.select_for_update().get(pk=cert.pk), actor=actor, reason=reason)
            step.audit_after["revoked"] = cert.number
    return step.case


@transaction.atomic
def report_dismiss(*, actor, task_id, reason="", data=None):
    """The certificate is genuine; the reporter is told so."""
    if not (reason or "").strip():
        raise RuleViolation(_("Give the finding."), fields={"reason": [_("Required.")]})
    _check(task_id)
    with case_step(task_id=task_id, actor=actor, decision="dismiss", reason=reason) as step:
        step.case.dismiss(reason)
    return step.case
