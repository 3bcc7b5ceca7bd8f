"""Certificate requests, disputes and authenticity reports (DOMAIN "Certification").

Certificate request (R7–R9, R15): the volunteer, or the organization on behalf of one
without an account, asks → the organization that answers for the recording unit now (R9)
verifies the stored approved records and issues or refuses with a reason, within the
step's working-day due time (D2) → a seal step only when a seal was asked for (R8) → a
public notice period when the setting is on (R15) → the certificate is issued.

Dispute (R6, the dispute lifecycle): organizer review → upheld (records corrected as new
versions, certificates reissued, the old ones superseded) or refused with reasons → the
volunteer may appeal within the appeal period → supervising department review. An
overdue organizer review escalates to the supervising department (``on_escalate``).

Authenticity report (R10): a third party whose certificate fails verification reports it;
the case waits in the city 民政局's staff queue.

Queues and organizations: queues belong to departments, the issuer is an organization. A
task an organization must do is routed to its supervising department's staff queue (the
R9 fallback and the supervisor's view) and, in the same transaction, assigned to the
organization's manager (``services.routing.hand_to_organization``); any manager of that
organization may take it over, department staff may work it only when no organization
answers any more (R1, R9).
"""
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from engine.cases.flows import CaseFlow, status_is
from engine.cases.steps import Decision, HumanStep
from engine.directory.models import Role

from .models import AuthenticityReport, CertificateRequest, Dispute
from .models.workflow import AuthenticityProcess, CertificateProcess, DisputeProcess

S = "processes.certification.services"


def dispute_decisions(uphold: str, refuse: str) -> dict:
    """R6: a review upholds the dispute (records corrected to the hours given) or refuses it,
    both with reasons; the organizer's and the supervisor's reviews differ only in wording."""
    return {
        "uphold": Decision(uphold, f"{S}.disputes.dispute_uphold", needs_reason=True,
                           fields=(("hours", _("Corrected hours"), "decimal"),)),
        "refuse": Decision(refuse, f"{S}.disputes.dispute_refuse", needs_reason=True, style="danger"),
    }


class CertificateFlow(CaseFlow):
    process_class = CertificateProcess
    case_model = CertificateRequest
    process_name = "certification"

    start = flow.StartHandle(this.start_case).Next(this.verify)
    verify = HumanStep(
        department=lambda case: case.department, role=Role.STAFF, title=_("Verify and issue the certificate"),
        sla="certification.verify", states=["verifying"],
        decisions={
            "issue": Decision(_("Verified, issue"), f"{S}.requests.request_verify"),
            "refuse": Decision(_("Refuse"), f"{S}.requests.request_refuse", needs_reason=True, style="danger"),
        },
    ).Next(this.after_verify)
    after_verify = (
        flow.Switch()
        .Case(this.seal, status_is("sealing"))
        .Case(this.notice, status_is("notice"))
        .Default(this.end)
    )
    seal = HumanStep(
        department=lambda case: case.department, role=Role.STAFF, title=_("Affix the seal"),
        sla="certification.seal", states=["sealing"],
        decisions={"seal": Decision(_("Mark as sealed"), f"{S}.requests.request_seal")},
    ).Next(this.after_seal)
    after_seal = (
        flow.Switch()
        .Case(this.notice, status_is("notice"))
        .Default(this.end)
    )
    notice = flow.Handle().Annotation(title=_("Public notice")).Next(this.end)  # completed by the sweep when the notice ends (R15)
    end = flow.End()


class DisputeFlow(CaseFlow):
    process_class = DisputeProcess
    case_model = Dispute
    process_name = "certification"

    start = flow.StartHandle(this.start_case).Next(this.organizer_review)
    organizer_review = HumanStep(
        department=lambda case: case.department, role=Role.STAFF, title=_("Review the dispute"),
        sla="certification.organizer_review", states=["organizer_review", "supervisor_review"],
        decisions=dispute_decisions(_("Dispute upheld, correct the records"), _("Do not correct")),
        on_escalate=f"{S}.disputes.dispute_escalate",
    ).Next(this.after_review)
    after_review = (
        flow.Switch()
        .Case(this.appeal_window, status_is("refused"))
        .Default(this.end)
    )
    appeal_window = flow.Handle().Annotation(title=_("Appeal period")).Next(this.after_appeal)  # the volunteer appeals, or the sweep closes
    after_appeal = (
        flow.Switch()
        .Case(this.supervisor_review, status_is("supervisor_review"))
        .Default(this.end)
    )
    supervisor_review = HumanStep(
        department=lambda case: case.supervisor, role=Role.REVIEWER, title=_("Review the appeal"),
        sla="certification.supervisor_review", states=["supervisor_review"],
        decisions=dispute_decisions(_("Appeal upheld, correct the records"), _("Uphold the original decision")),
    ).Next(this.end)
    end = flow.End()


class AuthenticityFlow(CaseFlow):
    process_class = AuthenticityProcess
    case_model = AuthenticityReport
    process_name = "certification"

    start = flow.StartHandle(this.start_case).Next(this.investigate)
    investigate = HumanStep(
        department=lambda case: case.department, role=Role.STAFF, title=_("Investigate the certificate's authenticity"),
        sla="certification.investigate", states=["investigating"],
        decisions={
            "confirm": Decision(_("Confirm it is false"), f"{S}.reports.report_confirm", needs_reason=True, style="danger"),
            "dismiss": Decision(_("Find it genuine"), f"{S}.reports.report_dismiss", needs_reason=True),
        },
    ).Next(this.end)
    end = flow.End()
