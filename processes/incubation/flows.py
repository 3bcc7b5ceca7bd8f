"""Incubation: an organization applies to an incubation base and is incubated to graduation.

Sources: DOMAIN.md "Incubation" (seed 三(一)). The base's staff check completeness (I1, may
return for supplements, the organization resubmits); N experts score independently in
parallel tasks, one per expert, and the average decides against the base's pass mark (I2);
the base's 民政局 approves, never beyond the base's capacity — a full base keeps approved
applications waiting in order (I3); base staff offer the agreement and the organization
accepts it; incubation runs for the base's period with an optional mid-term review (I4);
the graduation review is mandatory and, when missed, counts as exit (I5, through the SLA
sweep's escalation hook).

Expert tasks are routed to the base's queue with role ``expert`` and assigned at creation to
the one expert they are for: experts are city-wide members (department ``None``), so no queue
serves them; holding the task is what lets them work it (``take_task`` checks the holder first).
"""
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from engine.cases.flows import CaseFlow, branch, status_is
from engine.cases.steps import Decision, HumanStep, PersonalSplit, PersonalStep
from engine.directory.models import Department, Role

from .models import IncubationApplication, IncubationProcess, Status

SERVICES = "processes.incubation.services"


def approving_department(case):
    """I3: the base's parent 民政局, or the city's 民政局 when the base hangs elsewhere."""
    parent = case.department.parent
    if parent is not None and parent.kind == Department.Kind.MCA:
        return parent
    return Department.objects.get(code="mca")


def assigned_experts(case):
    """I2: the experts given a score sheet at intake, in the order they were chosen."""
    return case.expert_scores.order_by("pk").values_list("expert_id", flat=True)


class IncubationFlow(CaseFlow):
    process_class = IncubationProcess
    case_model = IncubationApplication
    process_name = "incubation"

    start = flow.StartHandle(this.start_case).Next(this.intake)

    intake = HumanStep(
        department=lambda case: case.department, role=Role.STAFF, title=_("Intake check"),
        sla="incubation.intake", states=[Status.INTAKE_CHECK],
        decisions={
            "accept": Decision(_("Accept and send to expert review"), f"{SERVICES}.intake_accept"),
            "return": Decision(_("Return for supplements"), f"{SERVICES}.intake_return", needs_reason=True, style="warn"),
            "reject": Decision(_("Refuse intake"), f"{SERVICES}.intake_reject", needs_reason=True, style="bad"),
        },
    ).Next(this.after_intake)
    after_intake = (
        flow.Switch()
        .Case(this.resubmit, status_is(Status.RETURNED))
        .Case(this.expert_split, status_is(Status.EXPERT_REVIEW))
        .Default(this.end)
    )
    # Waits for the organization to resubmit (completed by ``application_submit``).
    resubmit = flow.Handle().Annotation(title=_("Resubmit after supplements")).Next(this.intake)

    expert_split = PersonalSplit(people=assigned_experts).Next(this.score)
    score = PersonalStep(
        person_key="expert", department=lambda case: case.department, role=Role.EXPERT, title=_("Expert scoring"),
        sla="incubation.score", states=[Status.EXPERT_REVIEW], on_escalate=f"{SERVICES}.expert_overdue",
        decisions={"score": Decision(_("Submit score"), f"{SERVICES}.expert_score_task", fields=(
            ("score", _("Score (0–100)"), "decimal"), ("comment", _("Review comments"), "text")))},
    ).Next(this.experts_done)
    experts_done = flow.Join().Next(this.after_experts)
    after_experts = flow.Switch().Case(this.approval, status_is(Status.APPROVAL)).Default(this.end)

    approval = HumanStep(
        department=approving_department, role=Role.REVIEWER, title=_("Civil Affairs Bureau approves admission"),
        sla="incubation.approval", states=[Status.APPROVAL], separate_from=["intake"],  # D3
        decisions={
            "approve": Decision(_("Approve admission"), f"{SERVICES}.approval_approve"),
            "reject": Decision(_("Refuse approval"), f"{SERVICES}.approval_reject", needs_reason=True, style="bad"),
        },
    ).Next(this.after_approval)
    after_approval = (
        flow.Switch()
        .Case(this.agreement, status_is(Status.AGREEMENT))
        .Case(this.wait_for_place, status_is(Status.WAITLISTED))
        .Default(this.end)
    )
    # A full base: waits until a place frees (completed by ``admit_waiting``).
    wait_for_place = flow.Handle().Annotation(title=_("Waiting for a place")).Next(this.agreement)

    agreement = HumanStep(
        department=lambda case: case.department, role=Role.STAFF, title=_("Draft the incubation agreement"),
        sla="incubation.agreement", states=[Status.AGREEMENT],
        decisions={"offer": Decision(_("Offer the agreement"), f"{SERVICES}.agreement_offer", fields=(
            ("terms", _("Key terms"), "text"),))},
    ).Next(this.accept_agreement)
    # The organization accepts the agreement (completed by ``agreement_accept``).
    accept_agreement = flow.Handle().Annotation(title=_("Organization accepts the agreement")).Next(this.midterm_gate)
    midterm_gate = (
        flow.If(branch(lambda case: case.midterm_planned,
                       yes=_("Midterm review planned"), no=_("No midterm review")))
        .Then(this.midterm_due).Else(this.period_end)
    )
    # Reached half-way through the period (completed by the ``advance`` beat task).
    midterm_due = flow.Handle().Annotation(title=_("Incubation (until midterm)")).Next(this.midterm)
    midterm = HumanStep(
        department=lambda case: case.department, role=Role.STAFF, title=_("Midterm review"),
        sla="incubation.midterm", states=[Status.MIDTERM_REVIEW],
        decisions={"complete": Decision(_("Complete the midterm review"), f"{SERVICES}.midterm_complete", needs_reason=True)},
    ).Next(this.period_end)
    # The incubation period (or extension) ends (completed by the ``advance`` beat task).
    period_end = flow.Handle().Annotation(title=_("Incubation (until the period ends)")).Next(this.graduation)
    graduation = HumanStep(
        department=lambda case: case.department, role=Role.REVIEWER, title=_("Graduation review"),
        sla="incubation.graduation", states=[Status.GRADUATION_REVIEW],
        on_escalate=f"{SERVICES}.graduation_missed",
        decisions={
            "graduate": Decision(_("Graduate"), f"{SERVICES}.graduation_graduate", fields=(
                ("interview", _("Interview record"), "text"), ("document_review", _("Document review findings"), "text"),
                ("governance", _("Governance score"), "decimal"), ("services", _("Services score"), "decimal"),
                ("finance", _("Finance score"), "decimal"))),
            "extend": Decision(_("Extend incubation"), f"{SERVICES}.graduation_extend", needs_reason=True, style="warn"),
            "exit": Decision(_("Exit incubation"), f"{SERVICES}.graduation_exit", needs_reason=True, style="bad"),
        },
    ).Next(this.after_graduation)
    after_graduation = flow.Switch().Case(this.period_end, status_is(Status.EXTENDED)).Default(this.end)

    end = flow.End()
