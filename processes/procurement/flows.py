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
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
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
        department=lambda case: case.department, role=Role.STAFF, title=_("Prepare the tender documents"), sla="procurement.prepare",
        states=["draft"], separate_from=["precheck"],
        decisions={"submit": Decision(_("Submit for the finance pre-check"), f"{S}.tender_submit")},
    ).Next(this.precheck)
    precheck = finance_review(
        title=_("Finance pre-check (catalogue and budget)"), sla="procurement.precheck", states=["finance_precheck"],
        separate_from=["created_by", "prepare"],
        approve=(_("Pass the pre-check and publish"), f"{S}.precheck_approve"), refuse=(_("Return"), f"{S}.precheck_refuse"),
    ).Next(this.precheck_gate)
    precheck_gate = flow.If(status_is(Tender.Status.PUBLISHED)).Then(this.enquiries).Else(this.prepare)
    enquiries = flow.Handle().Annotation(title=_("Notice and enquiry period")).Next(this.bidding)
    bidding = flow.Handle().Annotation(title=_("Bidding period")).Next(this.bidding_gate)
    bidding_gate = flow.If(status_is(Tender.Status.EVALUATION)).Then(this.panel).Else(this.end)
    panel = PersonalSplit(people=panel_experts).Next(this.score)
    score = PersonalStep(
        person_key="expert", department=lambda case: case.department, role=Role.EXPERT, title=pgettext_lazy("procurement", "Expert scoring"),
        sla="procurement.score", states=["evaluation"], separate_from=["created_by", "prepare", "precheck"],
        decisions={"submit": Decision(
            _("Submit scores"), f"{S}.score_submit",
            fields=(("declaration", _("Conflict-of-interest declaration"), "text"),
                    ("conflicts", _("Ids of organizations with a conflict of interest (JSON list, may be empty)"), "line"),
                    ("sheets", _("Score sheets (JSON: [{\"bid\": id, \"scores\": {criterion: score}}]; better use the “Fill in score sheets” page above)"), "text")),
        )},
    ).Next(this.panel_join)
    panel_join = flow.Join().Next(this.award_gate)
    award_gate = flow.If(status_is(Tender.Status.AWARD_REVIEW)).Then(this.award_review).Else(this.end)
    award_review = finance_review(
        title=_("Finance review of the award"), sla="procurement.award_review", states=["award_review"],
        separate_from=["created_by", "prepare", "score"],
        approve=(_("Approve and publish the award"), f"{S}.award_approve"), refuse=(_("Refuse (tender fails)"), f"{S}.award_refuse"),
    ).Next(this.standstill_gate)
    standstill_gate = flow.If(status_is(Tender.Status.STANDSTILL)).Then(this.standstill).Else(this.end)
    standstill = flow.Handle().Annotation(title=_("Award notice and standstill")).Next(this.contract)
    contract = HumanStep(
        department=lambda case: case.department, role=Role.STAFF, title=_("Sign and publish the contract"), sla="procurement.contract",
        states=["contracting"], separate_from=["precheck", "score", "award_review"],
        decisions={"sign": Decision(
            _("Sign the contract"), f"{S}.contract_sign",
            fields=(("amount", _("Contract amount"), "decimal"), ("start_date", _("Start date"), "date"), ("end_date", _("End date"), "date")),
        )},
    ).Next(this.delivery)
    delivery = flow.Handle().Annotation(title=_("Delivery and payment")).Next(this.end)
    end = flow.End()
