"""The audit trail under concurrency, on PostgreSQL: appending takes no shared lock, so a step on
one case never waits for an open transaction on another, and a burst still seals and verifies."""
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from engine.audit.models import AuditSeal
from engine.audit.sealing import seal_pending
from engine.cases.actions import task_complete
from engine.cases.models import TaskRoute
from engine.directory.models import Department
from tests.example.services import example_create
from tests.factories import member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cases():
    call_command("setup_demo", "--no-demo", verbosity=0)
    base = Department.objects.get(code="base-city")
    staff = [member("base-city", "staff", username=f"audit_staff{i}") for i in range(8)]
    made = [example_create(actor=staff[0], department=base, subject=f"事项{i}") for i in range(8)]
    return staff, made


def prepare_route(case):
    return TaskRoute.objects.get(reference=case.reference, node="prepare").pk


def test_a_step_does_not_wait_for_another_cases_open_transaction(cases):
    staff, (first, second, *_rest) = cases
    holding, release, outcome = threading.Event(), threading.Event(), {}

    def hold_open():
        try:
            with transaction.atomic():
                task_complete(actor=staff[0], task_id=prepare_route(first), decision="submit")
                holding.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_open)
    holder.start()
    assert holding.wait(timeout=30)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '5s'")  # a wait on the other step would fail here
        task_complete(actor=staff[1], task_id=prepare_route(second), decision="submit")
        outcome["second"] = "done"
    finally:
        release.set()
        holder.join()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    assert outcome == {"second": "done"}
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == "review"


def test_a_concurrent_burst_seals_and_verifies(cases, capsys):
    staff, made = cases
    routes = [prepare_route(c) for c in made]
    barrier, errors = threading.Barrier(len(made)), []

    def step(i):
        try:
            barrier.wait(timeout=30)
            task_complete(actor=staff[i], task_id=routes[i], decision="submit")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=step, args=(i,)) for i in range(len(made))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seal_pending()
    call_command("audit_verify")
    assert "待封存 0 条" in capsys.readouterr().out
    positions = list(AuditSeal.objects.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, len(positions) + 1))
