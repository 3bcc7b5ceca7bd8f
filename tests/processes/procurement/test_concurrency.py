"""Races on PostgreSQL: a bid racing the deadline is in or refused, never half-stored; two
tenders drawing on one budget line cannot overcommit it (P1, P4)."""
import random
import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from engine.cases.actions import task_complete
from engine.cases.errors import RuleViolation, StateConflict
from processes.procurement import services
from processes.procurement.models import Bid, BudgetLine, Tender

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
    from django.db import IntegrityError, transaction
    from django.db.models import F

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
