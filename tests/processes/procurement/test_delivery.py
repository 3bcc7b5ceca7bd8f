"""Complaints in the standstill (P7), contract terms (P8), payments and the evaluation (P9)."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from engine.audit.models import AuditEvent
from engine.cases.actions import task_complete
from engine.cases.errors import NotAllowed, RuleViolation, StateConflict
from engine.directory.services import organization_end
from engine.notifications.models import Notification
from processes.procurement import services
from processes.procurement.models import BudgetLine, Contract, Payment, Tender
from tests.factories import UserFactory

from .conftest import route

pytestmark = pytest.mark.django_db


def _after_standstill(drive):
    return drive.at(drive.tender.standstill_end + timedelta(seconds=1))


def test_open_complaint_blocks_contracting_until_answered(drive, people):
    tender = drive.standstill()
    loser = people["org_users"][0]
    with pytest.raises(NotAllowed):
        services.complaint_file(actor=people["org_users"][3], tender_id=tender.pk,
                                organization_id=people["orgs"][3].pk, text="未投标")
    complaint = services.complaint_file(actor=loser, tender_id=tender.pk,
                                        organization_id=people["orgs"][0].pk, text="评分不公")
    with _after_standstill(drive):
        assert services.chronograph_run()["end_standstill"] == 0
    assert drive.reload().status == "standstill"
    with pytest.raises(NotAllowed):
        services.complaint_answer(actor=people["fin"], complaint_id=complaint.pk, answer="无")
    services.complaint_answer(actor=people["staff"], complaint_id=complaint.pk, answer="评分依规进行")
    with _after_standstill(drive):
        assert services.chronograph_run()["end_standstill"] == 1
        assert services.chronograph_run()["end_standstill"] == 0
    assert drive.reload().status == "contracting"
    assert route(drive.tender, "contract").role == "staff"
    actions = list(AuditEvent.objects.filter(reference=tender.reference).values_list("action", flat=True))
    assert actions.count("procurement.end_standstill") == 1
    assert {"procurement.complaint.file", "procurement.complaint.answer"} <= set(actions)


def test_escalated_complaint_is_decided_by_finance(drive, people):
    tender = drive.standstill()
    user = people["org_users"][0]
    c = services.complaint_file(actor=user, tender_id=tender.pk, organization_id=people["orgs"][0].pk, text="质疑")
    with pytest.raises(StateConflict):
        services.complaint_escalate(actor=user, complaint_id=c.pk, reason="未答复")
    services.complaint_answer(actor=people["staff"], complaint_id=c.pk, answer="答复")
    services.complaint_escalate(actor=user, complaint_id=c.pk, reason="不服答复")
    with _after_standstill(drive):
        assert services.chronograph_run()["end_standstill"] == 0
    with pytest.raises(NotAllowed):
        services.complaint_decide(actor=people["staff"], complaint_id=c.pk, upheld=False, decision="驳回")
    c = services.complaint_decide(actor=people["fin"], complaint_id=c.pk, upheld=False, decision="投诉不成立")
    assert c.status == "dismissed"
    with _after_standstill(drive):
        services.chronograph_run()
    assert drive.reload().status == "contracting"


def test_upheld_complaint_keeps_blocking_and_the_department_may_cancel(drive, people):
    tender = drive.standstill()
    user = people["org_users"][0]
    c = services.complaint_file(actor=user, tender_id=tender.pk, organization_id=people["orgs"][0].pk, text="质疑")
    services.complaint_answer(actor=people["staff"], complaint_id=c.pk, answer="答复")
    services.complaint_escalate(actor=user, complaint_id=c.pk, reason="不服")
    services.complaint_decide(actor=people["fin"], complaint_id=c.pk, upheld=True, decision="投诉成立")
    with _after_standstill(drive):
        services.chronograph_run()
    assert drive.reload().status == "standstill"
    assert services.tender_cancel(actor=people["staff"], tender_id=tender.pk, reason="投诉成立，重新采购").status == "cancelled"


def test_complaint_after_the_period_is_refused(drive, people):
    tender = drive.standstill()
    with _after_standstill(drive):
        with pytest.raises(StateConflict):
            services.complaint_file(actor=people["org_users"][0], tender_id=tender.pk,
                                    organization_id=people["orgs"][0].pk, text="晚了")


def _sign(drive, people, **data):
    start = timezone.localdate()
    payload = {"amount": str(drive.tender.awarded_bid.price), "start_date": str(start),
               "end_date": str(start + timedelta(days=365)), **data}
    return task_complete(actor=people["staff"], task_id=route(drive.tender, "contract").pk,
                         decision="sign", data=payload)


def test_contract_term_and_amount_limits(drive, people):
    drive.contracting()
    start = timezone.localdate()
    with pytest.raises(RuleViolation, match="1年"):
        _sign(drive, people, end_date=str(start + timedelta(days=400)))
    with pytest.raises(RuleViolation, match="中标价"):
        _sign(drive, people, amount="80000.01")
    with pytest.raises(NotAllowed):
        task_complete(actor=people["fin"], task_id=route(drive.tender, "contract").pk, decision="sign",
                      data={"amount": "1.00", "start_date": str(start), "end_date": str(start + timedelta(days=2))})
    assert not Contract.objects.exists()
    _sign(drive, people)
    assert drive.reload().status == "delivery" and Contract.objects.get().organization == people["orgs"][1]


def test_recurring_service_may_run_three_years(drive, people):
    drive.create(recurring=True)
    drive.contracting()
    start = timezone.localdate()
    _sign(drive, people, end_date=str(start + timedelta(days=3 * 365)))
    assert drive.reload().status == "delivery"


def test_payments_follow_accepted_milestones_and_never_exceed_the_contract(drive, people):
    tender = drive.delivery()  # contract 80000.00 with orgs[1]
    org = people["org_users"][1]
    today = str(timezone.localdate())
    with pytest.raises(RuleViolation, match="合同金额"):
        services.milestone_add(actor=people["staff"], tender_id=tender.pk, name="全部", due_date=today, amount="80000.01")
    m1 = services.milestone_add(actor=people["staff"], tender_id=tender.pk, name="一期", due_date=today, amount="50000.00")
    m2 = services.milestone_add(actor=people["staff"], tender_id=tender.pk, name="二期", due_date=today, amount="30000.00")
    with pytest.raises(RuleViolation, match="验收"):
        services.payment_request(actor=org, milestone_id=m1.pk, amount="10000.00")
    with pytest.raises(NotAllowed):
        services.milestone_accept(actor=people["org_users"][1], milestone_id=m1.pk)
    services.milestone_accept(actor=people["reviewer"], milestone_id=m1.pk)
    with pytest.raises(StateConflict):
        services.milestone_accept(actor=people["reviewer"], milestone_id=m1.pk)
    with pytest.raises(NotAllowed):
        services.payment_request(actor=people["org_users"][0], milestone_id=m1.pk, amount="10000.00")
    with pytest.raises(RuleViolation, match="节点"):
        services.payment_request(actor=org, milestone_id=m1.pk, amount="50000.01")
    p1 = services.payment_request(actor=org, milestone_id=m1.pk, amount="40000.00")
    with pytest.raises(StateConflict, match="超过验收金额"):
        services.payment_request(actor=org, milestone_id=m1.pk, amount="10000.01")  # pending counts too (409)
    for outsider in (people["staff"], people["fin_staff"], people["fin_jinshui"], org):
        with pytest.raises(NotAllowed):
            services.payment_approve(actor=outsider, payment_id=p1.pk)
    services.payment_approve(actor=people["fin"], payment_id=p1.pk)
    with pytest.raises(StateConflict):
        services.payment_approve(actor=people["fin"], payment_id=p1.pk)
    p2 = services.payment_request(actor=org, milestone_id=m1.pk, amount="10000.00")
    with pytest.raises(RuleViolation):
        services.payment_reject(actor=people["fin"], payment_id=p2.pk, reason="")
    services.payment_reject(actor=people["fin"], payment_id=p2.pk, reason="发票不全")
    line = BudgetLine.objects.get()
    assert (line.committed, line.spent) == (Decimal("40000.00"), Decimal("40000.00"))
    assert Tender.objects.get().committed_amount == Decimal("40000.00")
    assert list(Payment.objects.values_list("status", flat=True)) == ["approved", "rejected"]
    assert m2.accepted_at is None
    events = AuditEvent.objects.filter(reference=tender.reference, action__startswith="procurement.payment.")
    assert [e.action for e in events] == ["procurement.payment.request", "procurement.payment.approve",
                                          "procurement.payment.request", "procurement.payment.reject"]


def test_performance_evaluation_closes_the_case(drive, people):
    tender = drive.delivery()
    m = services.milestone_add(actor=people["staff"], tender_id=tender.pk, name="一期",
                               due_date=str(timezone.localdate()), amount="10000.00")
    services.milestone_accept(actor=people["reviewer"], milestone_id=m.pk)
    services.payment_request(actor=people["org_users"][1], milestone_id=m.pk, amount="10000.00")
    with pytest.raises(StateConflict, match="付款"):
        services.performance_evaluate(actor=people["reviewer"], tender_id=tender.pk, score="90", comment="好")
    services.payment_approve(actor=people["fin"], payment_id=Payment.objects.get().pk)
    with pytest.raises(NotAllowed):
        services.performance_evaluate(actor=people["staff"], tender_id=tender.pk, score="90", comment="好")
    for bad in ("101", "NaN", "abc", "88.125"):  # NaN was an InvalidOperation (a 500 from the page)
        with pytest.raises(RuleViolation):
            services.performance_evaluate(actor=people["reviewer"], tender_id=tender.pk, score=bad, comment="好")
    tender = services.performance_evaluate(actor=people["head"], tender_id=tender.pk, score="88", comment="按期完成")
    assert tender.status == "completed"
    assert people["orgs"][1].performance_evaluations.get().score == Decimal("88.00")
    assert BudgetLine.objects.get().committed == 0
    with pytest.raises(StateConflict):
        services.performance_evaluate(actor=people["head"], tender_id=tender.pk, score="88", comment="再评")


def test_performance_score_is_kept_for_future_awards(client, drive, people):
    tender = drive.delivery()
    services.performance_evaluate(actor=people["head"], tender_id=tender.pk, score="86", comment="按期完成")
    drive.tender = None
    later = drive.evaluation()  # the same organizations bid again
    with drive.at(later.tender_end + timedelta(hours=1)):  # bids are shown once unsealed (P4)
        client.force_login(people["staff"])
        html = client.get(f"/workbench/procurement/{later.reference}/").content.decode()
    assert "86.0分（1次）" in html


def test_each_complaint_step_tells_whoever_acts_next(drive, people, django_capture_on_commit_callbacks):
    tender = drive.standstill()
    user = people["org_users"][0]

    def told(title):
        return set(Notification.objects.filter(reference=tender.reference, title__contains=title).values_list("user", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        c = services.complaint_file(actor=user, tender_id=tender.pk, organization_id=people["orgs"][0].pk, text="评分有误")
    assert {people["staff"].pk, people["reviewer"].pk, people["head"].pk} <= told("收到质疑")
    assert people["fin"].pk not in told("收到质疑")
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_answer(actor=people["staff"], complaint_id=c.pk, answer="评分依规")
    assert told("已答复") == {user.pk}
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_escalate(actor=user, complaint_id=c.pk, reason="不服")
    assert told("提交财政局") == {people["fin"].pk}  # the reviewer, not finance staff nor another district
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_decide(actor=people["fin"], complaint_id=c.pk, upheld=False, decision="不成立")
    assert user.pk in told("投诉已处理") and people["staff"].pk in told("投诉已处理")


def test_payment_requests_reach_finance_and_decisions_the_organization(drive, people, django_capture_on_commit_callbacks):
    tender = drive.delivery()
    m = services.milestone_add(actor=people["staff"], tender_id=tender.pk, name="一期",
                               due_date=str(timezone.localdate()), amount="10000.00")
    services.milestone_accept(actor=people["reviewer"], milestone_id=m.pk)

    def told(title):
        return set(Notification.objects.filter(reference=tender.reference, title__contains=title).values_list("user", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        p = services.payment_request(actor=people["org_users"][1], milestone_id=m.pk, amount="4000.00")
    assert told("付款申请待审核：4000.00元") == {people["fin"].pk}
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_reject(actor=people["fin"], payment_id=p.pk, reason="发票缺失")
    assert told("被驳回") == {people["org_users"][1].pk}
    p = services.payment_request(actor=people["org_users"][1], milestone_id=m.pk, amount="4000.00")
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_approve(actor=people["fin"], payment_id=p.pk)
    assert told("付款已批准") == {people["org_users"][1].pk}


def test_department_learns_when_its_contractor_dissolves(drive, people, django_capture_on_commit_callbacks):
    tender = drive.delivery()
    contractor = tender.contract.organization
    admin = UserFactory(username="p_root", is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        organization_end(actor=admin, organization=contractor, status="dissolved", reason="自行解散")
    event = AuditEvent.objects.get(reference=tender.reference, action="procurement.organization_ended")
    assert event.after["organization"] == contractor.pk and "不再具备承接主体资格" in event.reason
    assert Notification.objects.filter(user=people["staff"], reference=tender.reference, title__contains="合并或注销").exists()
    assert drive.reload().status == "delivery"  # the department decides; nothing changes by itself
    # a bidder that holds nothing is not announced
    with django_capture_on_commit_callbacks(execute=True):
        organization_end(actor=admin, organization=people["orgs"][0], status="dissolved", reason="解散")
    assert AuditEvent.objects.filter(action="procurement.organization_ended").count() == 1
