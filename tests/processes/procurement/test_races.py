"""Two people acting at once on related tenders, on PostgreSQL: each race ends in success or a
409 with a code, never a deadlock's 500, and the budget line balances afterwards (P1)."""
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connections

from engine.cases.actions import task_claim, task_complete
from engine.cases.errors import DomainError
from processes.procurement import services
from processes.procurement.models import BudgetLine, Tender

from .conftest import Driver, route

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    call_command("setup_demo", "--no-demo", verbosity=0)


def race(*actions):
    barrier, outcomes = threading.Barrier(len(actions)), [None] * len(actions)

    def run(i, action):
        try:
            barrier.wait(timeout=30)
            action()
            outcomes[i] = "ok"
        except DomainError as exc:  # a 409/400 with a code is an acceptable loser
            outcomes[i] = exc.code
        except Exception as exc:  # noqa: BLE001 - anything else would be a 500
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_cancel_races_finance_approval_on_one_budget_line(people, budget):
    published, waiting = Driver(people, budget), Driver(people, budget)
    published.publish()
    waiting.submit()
    precheck = route(waiting.tender, "precheck").pk
    task_claim(actor=people["fin"], task_id=precheck)  # claimed first, as in the report
    outcomes = race(
        lambda: services.tender_cancel(actor=people["staff"], tender_id=published.tender.pk, reason="需求变化"),
        lambda: task_complete(actor=people["fin"], task_id=precheck, decision="approve"),
    )
    assert outcomes == ["ok", "ok"]
    line = BudgetLine.objects.get(pk=budget[1].pk)
    assert line.committed == Decimal(waiting.reload().committed_amount) == Decimal("100000.00")
    assert published.reload().status == Tender.Status.CANCELLED


def test_cancel_races_approval_of_the_same_tender(people, budget):
    drive = Driver(people, budget)
    drive.submit()
    precheck = route(drive.tender, "precheck").pk
    task_claim(actor=people["fin"], task_id=precheck)
    outcomes = race(
        lambda: services.tender_cancel(actor=people["staff"], tender_id=drive.tender.pk, reason="需求变化"),
        lambda: task_complete(actor=people["fin"], task_id=precheck, decision="approve"),
    )
    assert all(o == "ok" or isinstance(o, str) for o in outcomes), outcomes
    assert "ok" in outcomes
    tender, line = drive.reload(), BudgetLine.objects.get(pk=budget[1].pk)
    # whichever came second either found the tender cancelled or its task closed: the line
    # holds exactly what a live tender has committed
    assert line.committed == tender.committed_amount
    assert tender.status in (Tender.Status.CANCELLED, Tender.Status.PUBLISHED)
