"""A tender from draft to the performance evaluation, with its tasks, money and audit trail."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from engine.audit.models import AuditEvent
from engine.cases.actions import task_complete
from engine.cases.models import TaskRoute
from processes.procurement import services
from processes.procurement.models import BudgetLine, PerformanceEvaluation

from .conftest import route

pytestmark = pytest.mark.django_db


def test_full_lifecycle(drive, people):
    tender = drive.create()
    assert tender.reference.startswith("ZB-") and tender.status == "draft"
    assert route(tender, "prepare").department.code == "mca"

    tender = drive.submit()
    assert tender.status == "finance_precheck"
    precheck = route(tender, "precheck")
    assert (precheck.department.code, precheck.role) == ("fin", "reviewer")

    task_complete(actor=people["fin"], task_id=precheck.pk, decision="approve")
    tender = drive.reload()
    assert tender.status == "published" and tender.committed_amount == Decimal("100000.00")
    assert BudgetLine.objects.get().committed == Decimal("100000.00")

    with drive.at(tender.enquiry_end + timedelta(seconds=1)):
        services.chronograph_run()
    assert drive.reload().status == "tendering"
    drive.bids = [drive.bid(i, p) for i, p in enumerate(["90000.00", "80000.00", "95000.00"])]
    with drive.at(tender.tender_end + timedelta(seconds=1)):
        services.chronograph_run()
    tender = drive.reload()
    assert tender.status == "evaluation" and tender.bids_at_close == 3
    score_routes = TaskRoute.objects.filter(reference=tender.reference, node="score")
    assert sorted(score_routes.values_list("owner_id", flat=True)) == sorted(e.pk for e in people["experts"])
    assert set(score_routes.values_list("state", flat=True)) == {"claimed"}

    drive.score(people["experts"][0])
    drive.score(people["experts"][1])
    assert drive.reload().status == "evaluation"
    drive.score(people["experts"][2])
    tender = drive.reload()
    assert tender.status == "award_review"
    assert tender.awarded_bid == drive.bids[1]  # same technical scores: the lowest price wins
    review = route(tender, "award_review")
    assert (review.department.code, review.role) == ("fin", "reviewer")

    task_complete(actor=people["fin"], task_id=review.pk, decision="approve")
    tender = drive.reload()
    assert tender.status == "standstill" and tender.standstill_end > review.created_at

    with drive.at(tender.standstill_end + timedelta(seconds=1)):
        services.chronograph_run()
    tender = drive.reload()
    assert tender.status == "contracting"
    contract_route = route(tender, "contract")
    start = timezone.localdate()
    task_complete(actor=people["staff"], task_id=contract_route.pk, decision="sign", data={
        "amount": "78000.00", "start_date": str(start), "end_date": str(start + timedelta(days=300)),
    })
    tender = drive.reload()
    assert tender.status == "delivery"
    line = BudgetLine.objects.get()
    assert (line.committed, line.spent) == (Decimal("78000.00"), Decimal("0.00"))

    m = services.milestone_add(actor=people["staff"], tender_id=tender.pk, name="第一季度服务",
                               due_date=str(start + timedelta(days=90)), amount="30000.00")
    services.milestone_accept(actor=people["reviewer"], milestone_id=m.pk)
    pay = services.payment_request(actor=people["org_users"][1], milestone_id=m.pk, amount="30000.00")
    services.payment_approve(actor=people["fin"], payment_id=pay.pk)
    line.refresh_from_db()
    assert (line.committed, line.spent) == (Decimal("48000.00"), Decimal("30000.00"))

    tender = services.performance_evaluate(actor=people["reviewer"], tender_id=tender.pk, score="92.5", comment="服务优质")
    assert tender.status == "completed"
    line.refresh_from_db()
    assert (line.committed, line.spent) == (Decimal("0.00"), Decimal("30000.00"))
    assert PerformanceEvaluation.objects.get().organization == people["orgs"][1]
    assert not TaskRoute.objects.open().filter(reference=tender.reference).exists()
    assert tender.flow_process.status == "DONE"

    actions = list(AuditEvent.objects.filter(reference=tender.reference).values_list("action", flat=True))
    for expected in ["procurement.create", "procurement.prepare.submit", "procurement.precheck.approve",
                     "procurement.open_bidding", "procurement.close_bidding",
                     "procurement.score.submit", "procurement.award_review.approve",
                     "procurement.end_standstill", "procurement.contract.sign",
                     "procurement.milestone.add", "procurement.milestone.accept",
                     "procurement.payment.request", "procurement.payment.approve", "procurement.complete"]:
        assert expected in actions, expected
    # bid events are kept under each bid (P4: the case history names no bidder before the deadline)
    assert AuditEvent.objects.filter(action="procurement.bid.submit", after__tender=tender.pk).count() >= 1
