"""Races on PostgreSQL: a bid racing the deadline is in or refused, never half-stored; two
tenders drawing on one budget line cannot overcommit it (P1, P4)."""
import random
import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import F
from django.utils import timezone
from rest_framework.test import APIClient

from engine.cases.actions import task_complete
from engine.cases.errors import RuleViolation, StateConflict
from engine.directory.models import Department
from processes.procurement import services
from processes.procurement.models import Bid, BudgetLine, CatalogueItem, Contract, Payment, Tender
from processes.procurement.services.contracts import _add_to_paid

from .conftest import route

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    call_command("setup_demo", "--no-demo", verbosity=0)


def _race(fns):
    barrier = threading.Barrier(len(fns))
    results = [None] * len(fns)

    def run(i):
        try:
            barrier.wait()
            results[i] = ("ok", fns[i]())
        except Exception as exc:  # noqa: BLE001 - the race's losers are the point
            results[i] = ("err", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(fns))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_tenders_cannot_overcommit_one_budget_line(drive, people, budget):
    assert connection.vendor == "postgresql"
    tenders = []
    for _ in range(2):
        drive.tender = None
        drive.create(amount="300000.00")
        tenders.append(drive.submit())
    routes = [route(t, "precheck").pk for t in tenders]
    results = _race([
        lambda r=r: task_complete(actor=people["fin"], task_id=r, decision="approve") for r in routes
    ])
    kinds = sorted(kind for kind, _ in results)
    assert kinds == ["err", "ok"], results
    error = next(e for kind, e in results if kind == "err")
    assert isinstance(error, RuleViolation) and "不足" in str(error)
    line = BudgetLine.objects.get()
    assert line.committed == Decimal("300000.00") and line.committed + line.spent <= line.amount
    assert sorted(Tender.objects.values_list("status", flat=True)) == ["finance_precheck", "published"]


def test_budget_line_check_constraint_backs_the_rule(budget):
    _, line = budget
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.filter(pk=line.pk).update(committed=F("amount") + 1)


def test_bids_racing_the_deadline_are_either_in_or_refused(drive, people):
    tender = drive.open_bidding()
    deadline = timezone.now() + timedelta(milliseconds=600)
    # shorten both periods: the race is the point
    Tender.objects.filter(pk=tender.pk).update(enquiry_end=deadline - timedelta(minutes=1), tender_end=deadline)

    def bidder(i):
        def run():
            time.sleep(max(0.0, (deadline - timezone.now()).total_seconds() - 0.05 + random.uniform(-0.05, 0.1)))
            return services.bid_submit(actor=people["org_users"][i], tender_id=tender.pk,
                                       organization_id=people["orgs"][i].pk, price="90000.00", content=f"方案{i}")
        return run

    def chronograph():
        while not Tender.objects.filter(pk=tender.pk).exclude(status="tendering").exists():
            services.chronograph_run()
            time.sleep(0.005)
        return "closed"

    results = _race([bidder(i) for i in range(4)] + [chronograph])
    tender.refresh_from_db()
    assert tender.status in ("evaluation", "unsuccessful")
    stored = list(Bid.objects.filter(tender=tender))
    accepted = [r for kind, r in results[:4] if kind == "ok"]
    refused = [e for kind, e in results[:4] if kind == "err"]
    assert all(isinstance(e, StateConflict) for e in refused), refused
    assert len(accepted) + len(refused) == 4
    assert sorted(b.pk for b in stored) == sorted(b.pk for b in accepted)
    assert all(b.submitted_at < deadline for b in stored)
    assert tender.bids_at_close == len(stored)  # every stored bid was seen by the close


def _api(user):
    c = APIClient(raise_request_exception=False)
    c.force_authenticate(user)
    return c


def test_the_same_catalogue_item_or_budget_line_created_twice_at_once_is_one_201_and_one_409(people, budget):
    item, _line = budget
    body = {"code": "C09", "name": "助残服务", "category": "助残", "service_standard": "每月两次", "unit": "项", "year": 2026}
    results = _race([lambda: _api(people["fin"]).post("/api/v1/procurement/catalogue/", body, format="json")] * 2)
    codes = sorted(r.status_code for _, r in results)
    assert codes == [201, 409], results
    assert next(r for _, r in results if r.status_code == 409).json()["code"] == "catalogue_item_exists"
    assert CatalogueItem.objects.filter(code="C09").count() == 1

    jinshui = Department.objects.get(code="mca-jinshui")
    line_body = {"department": jinshui.code, "year": 2026, "item": item.pk, "amount": "1000.00"}
    results = _race([lambda: _api(people["fin"]).post("/api/v1/procurement/budget-lines/", line_body, format="json")] * 2)
    assert sorted(r.status_code for _, r in results) == [201, 409], results
    assert next(r for _, r in results if r.status_code == 409).json()["code"] == "budget_line_exists"
    assert BudgetLine.objects.filter(department=jinshui).count() == 1


def test_two_payments_for_the_same_milestone_at_once_are_one_201_and_one_409(drive, people):
    tender = drive.delivery()
    m = services.milestone_add(actor=people["staff"], tender_id=tender.pk, name="一期",
                               due_date=str(timezone.localdate()), amount="10000.00")
    services.milestone_accept(actor=people["reviewer"], milestone_id=m.pk)
    org_user = people["org_users"][1]
    body = {"milestone": m.pk, "amount": "10000.00"}
    results = _race([lambda: _api(org_user).post("/api/v1/procurement/payments/", body, format="json")] * 2)
    assert sorted(r.status_code for _, r in results) == [201, 409], results
    assert Payment.objects.count() == 1


def test_the_database_refuses_an_overpaid_contract_even_without_the_lock(drive, people):
    """P8 backstop: two writers adding to ``paid`` with no tender lock (as a future code path
    that forgot it would): the CHECK lets one through and the other gets a 409, never a 500."""
    tender = drive.delivery()
    contract = Contract.objects.get(tender=tender)
    share = (contract.amount * Decimal("0.6")).quantize(Decimal("0.01"))

    def add():
        with transaction.atomic():
            _add_to_paid(contract, share)
            time.sleep(0.2)  # hold the row so the other writer waits on it, then re-checks
        return "paid"

    results = _race([add, add])
    kinds = sorted(kind for kind, _ in results)
    assert kinds == ["err", "ok"], results
    error = next(e for kind, e in results if kind == "err")
    assert isinstance(error, StateConflict) and error.code == "contract_overpaid"
    contract.refresh_from_db()
    assert contract.paid == share <= contract.amount
