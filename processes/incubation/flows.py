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
from viewflow import this
from viewflow.workflow import flow

from engine.cases.flows import CaseFlow, case_of, status_is
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
        department=lambda case: case.department, role=Role.STAFF, title="受理审查",
        sla="incubation.intake", states=[Status.INTAKE_CHECK],
        decisions={
            "accept": Decision("受理，送专家评审", f"{SERVICES}.intake_accept"),
            "return": Decision("退回补充材料", f"{SERVICES}.intake_return", needs_reason=True, style="warn"),
            "reject": Decision("不予受理", f"{SERVICES}.intake_reject", needs_reason=True, style="bad"),
        },
    ).Next(this.after_intake)
    after_intake = (
        flow.Switch()
        .Case(this.resubmit, status_is(Status.RETURNED))
        .Case(this.expert_split, status_is(Status.EXPERT_REVIEW))
        .Default(this.end)
    )
    # Waits for the organization to resubmit (completed by ``application_submit``).
    resubmit = flow.Handle().Annotation(title="补正后重新提交").Next(this.intake)

    expert_split = PersonalSplit(people=assigned_experts).Next(this.score)
    score = PersonalStep(
        person_key="expert", department=lambda case: case.department, role=Role.EXPERT, title="专家评分",
        sla="incubation.score", states=[Status.EXPERT_REVIEW], on_escalate=f"{SERVICES}.expert_overdue",
        decisions={"score": Decision("提交评分", f"{SERVICES}.expert_score_task", fields=(
            ("score", "评分（0–100）", "decimal"), ("comment", "评审意见", "text")))},
    ).Next(this.experts_done)
    experts_done = flow.Join().Next(this.after_experts)
    after_experts = flow.Switch().Case(this.approval, status_is(Status.APPROVAL)).Default(this.end)

    approval = HumanStep(
        department=approving_department, role=Role.REVIEWER, title="民政局审批入驻",
        sla="incubation.approval", states=[Status.APPROVAL], separate_from=["intake"],  # D3
        decisions={
            "approve": Decision("批准入驻", f"{SERVICES}.approval_approve"),
            "reject": Decision("不予批准", f"{SERVICES}.approval_reject", needs_reason=True, style="bad"),
        },
    ).Next(this.after_approval)
    after_approval = (
        flow.Switch()
        .Case(this.agreement, status_is(Status.AGREEMENT))
        .Case(this.wait_for_place, status_is(Status.WAITLISTED))
        .Default(this.end)
    )
    # A full base: waits until a place frees (completed by ``admit_waiting``).
    wait_for_place = flow.Handle().Annotation(title="等待入驻名额").Next(this.agreement)

    agreement = HumanStep(
        department=lambda case: case.department, role=Role.STAFF, title="拟定孵化协议",
        sla="incubation.agreement", states=[Status.AGREEMENT],
        decisions={"offer": Decision("发出协议", f"{SERVICES}.agreement_offer", fields=(
            ("terms", "协议要点", "text"),))},
    ).Next(this.accept_agreement)
    # The organization accepts the agreement (completed by ``agreement_accept``).
    accept_agreement = flow.Handle().Annotation(title="组织确认入驻协议").Next(this.midterm_gate)
    midterm_gate = (
        flow.If(lambda activation: case_of(activation).midterm_planned)
        .Then(this.midterm_due).Else(this.period_end)
    )
    # Reached half-way through the period (completed by the ``advance`` beat task).
    midterm_due = flow.Handle().Annotation(title="孵化期（至中期）").Next(this.midterm)
    midterm = HumanStep(
        department=lambda case: case.department, role=Role.STAFF, title="中期评估",
        sla="incubation.midterm", states=[Status.MIDTERM_REVIEW],
        decisions={"complete": Decision("完成中期评估", f"{SERVICES}.midterm_complete", needs_reason=True)},
    ).Next(this.period_end)
    # The incubation period (or extension) ends (completed by the ``advance`` beat task).
    period_end = flow.Handle().Annotation(title="孵化期（至期满）").Next(this.graduation)
    graduation = HumanStep(
        department=lambda case: case.department, role=Role.REVIEWER, title="结业评审",
        sla="incubation.graduation", states=[Status.GRADUATION_REVIEW],
        on_escalate=f"{SERVICES}.graduation_missed",
        decisions={
            "graduate": Decision("准予结业", f"{SERVICES}.graduation_graduate", fields=(
                ("interview", "面谈记录", "text"), ("document_review", "材料审查意见", "text"),
                ("governance", "治理评分", "decimal"), ("services", "服务评分", "decimal"),
                ("finance", "财务评分", "decimal"))),
            "extend": Decision("延期孵化", f"{SERVICES}.graduation_extend", needs_reason=True, style="warn"),
            "exit": Decision("退出孵化", f"{SERVICES}.graduation_exit", needs_reason=True, style="bad"),
        },
    ).Next(this.after_graduation)
    after_graduation = flow.Switch().Case(this.period_end, status_is(Status.EXTENDED)).Default(this.end)

    end = flow.End()
