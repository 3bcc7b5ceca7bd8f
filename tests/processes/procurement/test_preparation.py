"""Draft, finance pre-check (P1, P3) and cancellation: happy paths, refusals and audit events."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from engine.audit.models import AuditEvent
from engine.cases import search
from engine.cases.actions import task_claim, task_complete
from engine.cases.errors import NotAllowed, RuleViolation, StateConflict
from engine.cases.models import TaskRoute
from engine.directory.models import Department
from processes.procurement import services
from processes.procurement.models import BudgetLine, Tender
from tests.factories import member

from .conftest import route

pytestmark = pytest.mark.django_db


def test_only_department_staff_create_with_valid_periods_criteria_and_panel(drive, people):
    with pytest.raises(NotAllowed):
        drive.p = {**people, "staff": people["fin"]}
        drive.create()
    drive.p = people
    with pytest.raises(RuleViolation, match="投标期不少于20"):
        drive.create(tender_end=timezone.now() + timedelta(days=12))
    with pytest.raises(RuleViolation, match="权重之和须为100"):
        drive.create(criteria=[{"code": "plan", "name": "方案", "weight": 50}])
    with pytest.raises(RuleViolation, match="专家"):
        drive.create(experts=people["experts"][:2])
    with pytest.raises(RuleViolation):
        drive.create(amount="12.345")
    assert not Tender.objects.exists()
    # negotiation: 3 working days are enough (P3 minimum periods are per method)
    now = timezone.now()
    tender = drive.create(method="negotiation", enquiry_end=now + timedelta(days=1), tender_end=now + timedelta(days=9))
    assert tender.status == "draft"


def test_submit_is_staff_work_and_happens_once(drive, people):
    tender = drive.create()
    prepare = route(tender, "prepare")
    with pytest.raises(NotAllowed):
        task_complete(actor=people["reviewer"], task_id=prepare.pk, decision="submit")
    with pytest.raises(NotAllowed):
        task_complete(actor=people["fin"], task_id=prepare.pk, decision="submit")
    drive.submit()
    with pytest.raises(StateConflict):
        task_complete(actor=people["staff"], task_id=prepare.pk, decision="submit")
    event = AuditEvent.objects.filter(reference=tender.reference, action="procurement.prepare.submit").get()
    assert (event.before["status"], event.after["status"]) == ("draft", "finance_precheck")


def test_precheck_is_in_the_finance_queue_of_the_right_level(drive, people):
    tender = drive.create()
    drive.submit()
    precheck = route(tender, "precheck")
    for outsider in (people["staff"], people["fin_staff"], people["fin_jinshui"]):
        with pytest.raises(NotAllowed):
            task_claim(actor=outsider, task_id=precheck.pk)
    assert Tender.objects.get().status == "finance_precheck"


def test_precheck_refuses_unpublished_catalogue_and_leaves_everything_unchanged(drive, people, budget):
    item, line = budget
    tender = drive.create()
    drive.submit()
    item.published = False
    item.save()
    with pytest.raises(RuleViolation, match="指导性目录"):
        task_complete(actor=people["fin"], task_id=route(tender, "precheck").pk, decision="approve")
    line.refresh_from_db()
    assert line.committed == 0 and drive.reload().status == "finance_precheck"


def test_precheck_refuses_without_uncommitted_money(drive, people, budget):
    _, line = budget
    BudgetLine.objects.filter(pk=line.pk).update(committed=Decimal("450000.00"))
    tender = drive.create(amount="60000.00")
    drive.submit()
    with pytest.raises(RuleViolation, match="可用金额不足"):
        task_complete(actor=people["fin"], task_id=route(tender, "precheck").pk, decision="approve")
    assert BudgetLine.objects.get().committed == Decimal("450000.00")


def test_precheck_approval_commits_the_money(drive, people, budget):
    tender = drive.publish()
    assert tender.status == "published" and tender.published_at
    line = BudgetLine.objects.get()
    assert (line.committed, line.available) == (Decimal("100000.00"), Decimal("400000.00"))
    event = AuditEvent.objects.get(reference=tender.reference, action="procurement.precheck.approve")
    assert event.after["committed"] == "100000.00" and event.actor == people["fin"]


def test_precheck_refusal_needs_reasons_and_returns_the_draft(drive, people):
    tender = drive.create()
    drive.submit()
    precheck = route(tender, "precheck")
    with pytest.raises(RuleViolation):
        task_complete(actor=people["fin"], task_id=precheck.pk, decision="refuse", reason="")
    task_complete(actor=people["fin"], task_id=precheck.pk, decision="refuse", reason="服务标准不明确")
    tender = drive.reload()
    assert tender.status == "draft" and tender.outcome_reason == "服务标准不明确"
    assert route(tender, "prepare").state == "open"
    assert AuditEvent.objects.get(reference=tender.reference, action="procurement.precheck.refuse").reason == "服务标准不明确"
    drive.submit()  # fixed and sent again
    assert drive.reload().status == "finance_precheck"


def test_cancel_needs_reason_and_right_and_releases_the_commitment(drive, people):
    tender = drive.publish()
    with pytest.raises(RuleViolation):
        services.tender_cancel(actor=people["staff"], tender_id=tender.pk, reason=" ")
    for outsider in (people["fin"], people["org_users"][0]):
        with pytest.raises(NotAllowed):
            services.tender_cancel(actor=outsider, tender_id=tender.pk, reason="不再需要")
    tender = services.tender_cancel(actor=people["staff"], tender_id=tender.pk, reason="需求变更")
    assert tender.status == "cancelled" and tender.committed_amount == 0
    assert BudgetLine.objects.get().committed == 0
    assert not TaskRoute.objects.open().filter(reference=tender.reference).exists()
    event = AuditEvent.objects.get(reference=tender.reference, action="procurement.cancel")
    assert event.reason == "需求变更" and event.after["released"] == "100000.00"
    with pytest.raises(StateConflict):
        services.tender_cancel(actor=people["staff"], tender_id=tender.pk, reason="再次取消")


def test_no_cancel_once_contracting(drive, people):
    tender = drive.contracting()
    with pytest.raises(StateConflict):
        services.tender_cancel(actor=people["staff"], tender_id=tender.pk, reason="晚了")
    assert drive.reload().status == "contracting"


def test_precheck_cannot_be_approved_twice(drive, people):
    tender = drive.create()
    drive.submit()
    precheck = route(tender, "precheck")
    task_complete(actor=people["fin"], task_id=precheck.pk, decision="approve")
    with pytest.raises(StateConflict):
        task_complete(actor=people["fin"], task_id=precheck.pk, decision="approve")
    assert BudgetLine.objects.get().committed == Decimal("100000.00")


def test_district_department_goes_to_its_district_finance(people, budget):
    item, _ = budget
    js = Department.objects.get(code="mca-jinshui")
    staff = member("mca-jinshui", "staff", username="js_staff")
    line = BudgetLine.objects.create(department=js, year=2026, item=item, amount=Decimal("100000.00"))
    tender = services.tender_create(
        actor=staff, department=js, name="金水区项目", catalogue_item=item, budget_line=line, method="open",
        amount="50000.00", enquiry_end=timezone.now() + timedelta(days=5),
        tender_end=timezone.now() + timedelta(days=25), experts=people["experts"])
    task_complete(actor=staff, task_id=route(tender, "prepare").pk, decision="submit")
    assert route(tender, "precheck").department.code == "fin-jinshui"
    with pytest.raises(NotAllowed):
        task_complete(actor=people["fin"], task_id=route(tender, "precheck").pk, decision="approve")
    task_complete(actor=people["fin_jinshui"], task_id=route(tender, "precheck").pk, decision="approve")
    assert Tender.objects.get(pk=tender.pk).status == "published"


def test_returned_draft_is_corrected_and_resubmitted(drive, people):
    tender = drive.create()
    drive.submit()
    with pytest.raises(StateConflict):
        services.tender_update(actor=people["staff"], tender_id=tender.pk, name="改名")
    task_complete(actor=people["fin"], task_id=route(tender, "precheck").pk, decision="refuse", reason="预算偏高")
    with pytest.raises(NotAllowed):
        services.tender_update(actor=people["fin"], tender_id=tender.pk, amount="80000.00")
    with pytest.raises(RuleViolation):
        services.tender_update(actor=people["staff"], tender_id=tender.pk, tender_end=timezone.now() + timedelta(days=3))
    api = APIClient()
    api.force_authenticate(people["staff"])
    r = api.patch(f"/api/v1/procurement/tenders/{tender.reference}/", {"amount": "80000.00", "name": "调整后项目"}, format="json")
    assert r.status_code == 200 and r.json()["amount"] == "80000.00"
    event = AuditEvent.objects.get(reference=tender.reference, action="procurement.update")
    assert event.after["before"]["amount"] == "100000.00" and event.after["after"]["amount"] == "80000.00"
    task_complete(actor=people["staff"], task_id=route(tender, "prepare").pk, decision="submit")
    task_complete(actor=people["fin"], task_id=route(tender, "precheck").pk, decision="approve")
    assert BudgetLine.objects.get().committed == Decimal("80000.00")


def test_a_renamed_draft_is_shown_and_found_by_its_new_name_after_commit(drive, people,
                                                                        django_capture_on_commit_callbacks):
    tender = drive.create()
    prepare = route(tender, "prepare")
    with django_capture_on_commit_callbacks(execute=True):
        services.tender_update(actor=people["staff"], tender_id=tender.pk, name="社区助老食堂运营项目")
    prepare.refresh_from_db()
    assert prepare.case_title == f"{tender.reference} 社区助老食堂运营项目"
    staff = people["staff"]
    assert [r.pk for r in TaskRoute.objects.filter(search.matching("助老食堂"))] == [prepare.pk]
    assert not TaskRoute.objects.filter(search.matching("社区志愿服务项目")).exists()
    with django_capture_on_commit_callbacks() as callbacks:  # a change that names nothing
        services.tender_update(actor=staff, tender_id=tender.pk, amount="90000.00")
    assert callbacks == []


BAD_NUMBERS = [
    ({"amount": "1e20"}, "amount"),  # does not fit the money column (D5): was a 500
    ({"amount": "1e30"}, "amount"),
    ({"amount": "NaN"}, "amount"),
    ({"price_weight": "abc"}, "price_weight"),  # was an uncaught InvalidOperation
    ({"price_weight": "-10", "criteria": [{"code": "plan", "name": "方案", "weight": 110}]}, "price_weight"),
    ({"price_weight": "100", "criteria": [{"code": "plan", "name": "方案", "weight": 1}]}, "price_weight"),
    ({"price_weight": "30.005", "criteria": [{"code": "plan", "name": "方案", "weight": "69.995"}]}, "price_weight"),
    ({"criteria": [{"code": "plan", "name": "方案", "weight": "NaN"}]}, "criteria"),
    ({"criteria": [{"code": "plan", "name": "", "weight": 70}]}, "criteria"),
]


@pytest.mark.parametrize("payload,field", BAD_NUMBERS)
def test_bad_numbers_are_a_clear_400_and_create_nothing(people, budget, payload, field):
    item, line = budget
    now = timezone.now()
    body = {
        "department": "mca", "name": "养老志愿服务", "catalogue_item": item.pk, "budget_line": line.pk,
        "method": "open", "amount": "120000.00", "enquiry_end": (now + timedelta(days=5)).isoformat(),
        "tender_end": (now + timedelta(days=25)).isoformat(), "experts": [e.pk for e in people["experts"]],
        **payload,
    }
    c = APIClient(raise_request_exception=False)
    c.force_authenticate(people["staff"])
    r = c.post("/api/v1/procurement/tenders/", body, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()["fields"] and r.json()["detail"]
    assert not Tender.objects.exists()


def test_fractional_weights_with_two_places_are_accepted(drive):
    tender = drive.create(price_weight="30.50", criteria=[{"code": "plan", "name": "方案", "weight": 69.5}])
    assert tender.price_weight == Decimal("30.50")
