"""Tender flow: who must act next on a purchase of services (DOMAIN "Procurement", P1–P9).

Department staff prepare the tender; the finance bureau (财政局) of the same level pre-checks
catalogue and budget (P1) and, after the expert panel has scored (P5), reviews the award (P6).
The periods in between — enquiries, bidding, the complaint standstill (P7) — are not queue
work: ``Handle`` nodes wait for the chronograph (``tasks.chronograph``), which moves the tender
when its deadline passes. Each panel expert gets a task of their own (one per expert, created
by the engine's ``PersonalSplit``); the join waits for all of them. Experts hold no department
queue, so their tasks are assigned to them directly when created and appear only in their inbox.

Separation of duties (D3, P4) is declared on every step and checked by the engine's one rule
at claim, reassignment, delegation and completion, and in the queue: whoever drafted
(``created_by``) or submitted (``prepare``) a tender approves nothing of it; an expert who
scored it reviews neither its award nor its contract; and ``Tender.conflicts_with`` keeps every
party of the tender (members of a bidding organization, the proposed winner's among them, and
experts who recused) off all of its tasks.
"""
from viewflow import this
from viewflow.workflow import flow

from engine.cases.flows import CaseFlow, status_is
from engine.cases.steps import Decision, HumanStep, PersonalSplit, PersonalStep
from engine.directory.models import Department, Role

from .models import Tender, TenderProcess

S = "processes.procurement.services"


def finance_for(department: Department) -> Department:
    """The 财政局 that pre-checks and pays for ``department``: same district, else the city's (D1)."""
    if department.district_id:
        fin = Department.objects.filter(kind=Department.Kind.FIN, district_id=department.district_id).first()
        if fin is not None:
            return fin
    return Department.objects.get(kind=Department.Kind.FIN, level=Department.Level.CITY)


def panel_experts(tender):
    """P5: the tender's panel, one scoring task each, in the order of their ids."""
    return sorted(tender.experts.values_list("pk", flat=True))


def finance_review(*, title, sla, states, separate_from, approve, refuse):
    """A step of the finance bureau's reviewers (P1, P6): approve, or refuse with a reason."""
    return HumanStep(
        department=lambda case: finance_for(case.department), role=Role.REVIEWER, title=title, sla=sla,
        states=states, separate_from=separate_from,
        decisions={
            "approve": Decision(*approve),
            "refuse": Decision(*refuse, needs_reason=True, style="secondary"),
        },
    )


class TenderFlow(CaseFlow):
    process_class = TenderProcess
    case_model = Tender
    process_name = "procurement"

    start = flow.StartHandle(this.start_case).Next(this.prepare)
    prepare = HumanStep(
        department=lambda case: case.department, role=Role.STAFF, title="编制采购文件", sla="procurement.prepare",
        states=["draft"], separate_from=["precheck"],
        decisions={"submit": Decision("提交财政预审", f"{S}.tender_submit")},
    ).Next(this.precheck)
    precheck = finance_review(
        title="财政预审（目录与预算）", sla="procurement.precheck", states=["finance_precheck"],
        separate_from=["created_by", "prepare"],
        approve=("预审通过并发布", f"{S}.precheck_approve"), refuse=("退回", f"{S}.precheck_refuse"),
    ).Next(this.precheck_gate)
    precheck_gate = flow.If(status_is(Tender.Status.PUBLISHED)).Then(this.enquiries).Else(this.prepare)
    enquiries = flow.Handle().Annotation(title="公告与答疑期").Next(this.bidding)
    bidding = flow.Handle().Annotation(title="投标期").Next(this.bidding_gate)
    bidding_gate = flow.If(status_is(Tender.Status.EVALUATION)).Then(this.panel).Else(this.end)
    panel = PersonalSplit(people=panel_experts).Next(this.score)
    score = PersonalStep(
        person_key="expert", department=lambda case: case.department, role=Role.EXPERT, title="专家评审打分",
        sla="procurement.score", states=["evaluation"], separate_from=["created_by", "prepare", "precheck"],
        decisions={"submit": Decision(
            "提交评分", f"{S}.score_submit",
            fields=(("declaration", "利益冲突声明", "text"),
                    ("conflicts", "存在利害关系的组织编号（JSON 列表，可空）", "line"),
                    ("sheets", "评分表（JSON：[{\"bid\": 编号, \"scores\": {标准: 分值}}]；建议改用上方“填写评分表”页面）", "text")),
        )},
    ).Next(this.panel_join)
    panel_join = flow.Join().Next(this.award_gate)
    award_gate = flow.If(status_is(Tender.Status.AWARD_REVIEW)).Then(this.award_review).Else(this.end)
    award_review = finance_review(
        title="财政审核中标结果", sla="procurement.award_review", states=["award_review"],
        separate_from=["created_by", "prepare", "score"],
        approve=("批准中标并公示", f"{S}.award_approve"), refuse=("不予批准（流标）", f"{S}.award_refuse"),
    ).Next(this.standstill_gate)
    standstill_gate = flow.If(status_is(Tender.Status.STANDSTILL)).Then(this.standstill).Else(this.end)
    standstill = flow.Handle().Annotation(title="中标公示与质疑期").Next(this.contract)
    contract = HumanStep(
        department=lambda case: case.department, role=Role.STAFF, title="签订并公开合同", sla="procurement.contract",
        states=["contracting"], separate_from=["precheck", "score", "award_review"],
        decisions={"sign": Decision(
            "签订合同", f"{S}.contract_sign",
            fields=(("amount", "合同金额", "decimal"), ("start_date", "开始日期", "date"), ("end_date", "结束日期", "date")),
        )},
    ).Next(this.delivery)
    delivery = flow.Handle().Annotation(title="履约与支付").Next(this.end)
    end = flow.End()
