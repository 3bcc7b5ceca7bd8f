"""The applicant's own actions: draft, submit (and resubmit after a return), withdraw (I1)."""
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, RuleViolation, StateConflict
from engine.cases.numbering import case_creation
from engine.cases.services import cancel_open_tasks, case_transition, run_handle
from engine.directory import rights
from engine.directory.models import Department
from engine.documents.access import case_documents
from engine.notifications.services import Text

from ..flows import IncubationFlow
from ..models import IncubationApplication, Status
from .common import PLAN_MAX_LENGTH, bounded_text, check_applicant, document_names, tell_applicant


def application_create(*, actor, organization, base, plan: str, documents=()) -> IncubationApplication:
    """A draft application of ``organization`` to ``base``; registered or not (I1).

    One open application per organization at a time.
    """
    if not rights.acts_for(actor, organization):
        raise NotAllowed(_("You can only apply for incubation on behalf of your own organization."))
    plan, documents = bounded_text(plan, "plan", PLAN_MAX_LENGTH), document_names(documents)
    if base.kind != Department.Kind.INCUBATION_BASE or not base.is_active:
        raise RuleViolation(_("Choose an active incubation base."), fields={"base": [_("Not an incubation base.")]})
    if not organization.is_active:
        raise RuleViolation(_("The organization has been merged or dissolved and cannot apply for incubation."))
    with case_creation():
        open_exists = IncubationApplication.objects.filter(organization=organization).exclude(
            status__in=IncubationApplication.FINAL_STATES).exists()
        if open_exists:
            raise RuleViolation(_("The organization already has an incubation application in progress."))
        case = IncubationApplication(
            organization=organization, department=base, plan=plan, documents=documents, created_by=actor,
        )
        case.save()
        audit_record(actor=actor, action="incubation.create", obj=case, after={"status": case.status})
    return case


def application_submit(*, actor, application) -> IncubationApplication:
    """Submit a draft, or resubmit a returned application with its supplements (I1).

    Starts the flow on first submission; a resubmission completes the flow's wait and puts
    the application back into the base's intake queue.
    """
    with case_transition(model=IncubationApplication, pk=application.pk, actor=actor,
                         action="incubation.submit", check=check_applicant) as ctx:
        case = ctx.case
        has_documents = bool(case.documents) or case_documents(case).filter(status="current").exists()
        if not case.plan.strip() or not has_documents:
            raise RuleViolation(_("Fill in the incubation plan and upload the application documents before submitting."),
                                fields={"documents": [_("At least one document.")]})
        resubmission = case.awaits_supplements
        case.submit()
        case.submitted_at = timezone.now()
        case.begin_intake()
        case.save()
        if resubmission:
            run_handle(case, IncubationFlow.resubmit)
        else:
            IncubationFlow.start.run(case=case)
        ctx.audit_after["resubmission"] = resubmission
    return ctx.case


def application_update(*, actor, application, plan=None, documents=None) -> IncubationApplication:
    """Edit a draft or returned application (the supplements of I1)."""
    plan = bounded_text(plan, "plan", PLAN_MAX_LENGTH) if plan is not None else None
    documents = document_names(documents) if documents is not None else None
    with case_transition(model=IncubationApplication, pk=application.pk, actor=actor,
                         action="incubation.update", check=check_applicant) as ctx:
        case = ctx.case
        if case.status not in (Status.DRAFT, Status.RETURNED):
            raise StateConflict(_("Only draft or returned applications can be changed."))
        if plan is not None:
            case.plan = plan
        if documents is not None:
            case.documents = documents
        ctx.audit_after.update({"plan": case.plan, "documents": case.documents})
    return ctx.case


def application_withdraw(*, actor, application, reason: str = "") -> IncubationApplication:
    """The organization withdraws before the agreement; open tasks are cancelled."""
    with case_transition(model=IncubationApplication, pk=application.pk, actor=actor,
                         action="incubation.withdraw", reason=reason, check=check_applicant) as ctx:
        ctx.case.withdraw()
        ctx.case.closed_at = timezone.now()
        cancel_open_tasks(ctx.case, actor)
        case = ctx.case
        ctx.after_commit(lambda: tell_applicant(case, Text(gettext_lazy("Incubation application %(reference)s was withdrawn"), reference=case.reference)))
    return ctx.case
