"""What pages ask a case instead of comparing its status with a spelled-out value: each
property answers for exactly the statuses its rule names."""
from engine.cases.models import TaskRoute
from processes.certification.models import Certificate, ServiceRecord
from processes.incubation.models import IncubationApplication, Nomination, Status
from processes.procurement.models import Complaint, Payment, Tender


def _true_for(build, choices, prop) -> set:
    """The values among ``choices`` for which ``build(value)`` answers ``prop`` with True."""
    return {value for value, _label in choices if getattr(build(value), prop)}


def test_badges_of_records_and_certificates():
    assert {s: ServiceRecord(status=s).badge for s in ServiceRecord.Status.values} == {
        "entered": "", "pending": "", "approved": "ok", "denied": "bad"}
    assert {s: Certificate(status=s).badge for s in Certificate.Status.values} == {
        "valid": "ok", "revoked": "warn", "superseded": "warn"}


def test_incubation_stages_the_portal_and_workbench_ask_about():
    def app(s):
        return IncubationApplication(status=s)
    assert _true_for(app, Status.choices, "awaits_supplements") == {Status.RETURNED}
    assert _true_for(app, Status.choices, "takes_self_evaluation") == {Status.GRADUATION_REVIEW}
    assert _true_for(app, Status.choices, "may_be_nominated") == {Status.GRADUATED}
    assert _true_for(lambda s: Nomination(state=s), Nomination.State.choices, "is_pending") == {
        Nomination.State.PENDING}


def test_complaint_and_payment_steps():
    standstill, contracting = Tender(status=Tender.Status.STANDSTILL), Tender(status=Tender.Status.CONTRACTING)
    def complaint(s):
        return Complaint(status=s, tender=standstill)
    choices = Complaint.Status.choices
    assert _true_for(complaint, choices, "awaits_answer") == {Complaint.Status.OPEN}
    assert _true_for(complaint, choices, "awaits_decision") == {Complaint.Status.ESCALATED}
    assert _true_for(complaint, choices, "may_escalate") == {Complaint.Status.ANSWERED}
    assert not Complaint(status=Complaint.Status.ANSWERED, tender=contracting).may_escalate  # standstill over (P7)
    assert _true_for(lambda s: Payment(status=s), Payment.Status.choices, "awaits_decision") == {
        Payment.Status.REQUESTED}


def test_task_done():
    assert _true_for(lambda s: TaskRoute(state=s), TaskRoute.State.choices, "is_done") == {TaskRoute.State.DONE}
