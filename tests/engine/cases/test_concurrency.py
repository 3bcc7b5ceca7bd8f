"""Races on PostgreSQL: one winner per claim, distinct gap-free reference numbers taken at the
end of the creating transaction (a creation never waits for another's body)."""
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from engine.audit.models import AuditEvent
from engine.audit.sealing import seal_pending
from engine.audit.verification import verify
from engine.cases.actions import task_claim
from engine.cases.errors import StateConflict
from engine.cases.models import ReferenceSequence, TaskRoute
from engine.cases.numbering import case_creation
from engine.directory.models import Department
from tests.example.models import ExampleCase
from tests.example.services import example_create
from tests.factories import member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
N = 8


def _race(fn, n=N):
    barrier = threading.Barrier(n)
    results = []

    def run(i):
        try:
            barrier.wait()
            results.append(("ok", fn(i)))
        except Exception as exc:  # noqa: BLE001 - the race's losers are the point
            results.append(("err", exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def reference_data():
    call_command("setup_demo", "--no-demo", verbosity=0)


def test_n_claims_one_winner(reference_data):
    assert connection.vendor == "postgresql"
    staff = [member("base-city", "staff", username=f"racer{i}") for i in range(N)]
    case = example_create(actor=staff[0], department=Department.objects.get(code="base-city"), subject="抢单")
    route = TaskRoute.objects.get(reference=case.reference)
    results = _race(lambda i: task_claim(actor=staff[i], task_id=route.pk))
    assert sum(1 for kind, _ in results if kind == "ok") == 1
    errors = [e for kind, e in results if kind == "err"]
    assert len(errors) == N - 1 and all(isinstance(e, StateConflict) for e in errors)
    route.refresh_from_db()
    assert route.state == "claimed" and route.owner in staff


def test_concurrent_creation_gives_distinct_gap_free_numbers(reference_data):
    author = member("base-city", "head", username="creator")
    base = Department.objects.get(code="base-city")
    results = _race(lambda i: example_create(actor=author, department=base, subject=f"并发{i}").reference)
    refs = sorted(r for kind, r in results if kind == "ok")
    assert len(refs) == N, [e for kind, e in results if kind == "err"]
    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in refs)
    assert numbers == list(range(1, N + 1))


def test_a_creation_does_not_wait_for_another_creations_open_transaction(reference_data):
    """The counter row is taken only at the end of the creating block: while one creation's
    transaction is still running its body, another creation completes (no wait on the counter)."""
    author = member("base-city", "head", username="creator")
    base = Department.objects.get(code="base-city")
    holding, release, outcome = threading.Event(), threading.Event(), {}

    def hold_open():
        try:
            with case_creation():
                outcome["first"] = example_create(actor=author, department=base, subject="长事务")
                holding.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_open)
    holder.start()
    assert holding.wait(timeout=30)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '5s'")  # a wait on the counter row would fail here
        second = example_create(actor=author, department=base, subject="后到先得")
    finally:
        release.set()
        holder.join()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    assert second.reference.endswith("-000001")
    assert outcome["first"].reference.endswith("-000002")
    assert sorted(ExampleCase.objects.values_list("reference", flat=True)) == [
        second.reference, outcome["first"].reference]


class Refused(Exception):
    pass


def test_a_burst_with_rollbacks_is_gap_free_unique_and_the_trail_verifies(reference_data, capsys):
    author = member("base-city", "head", username="creator")
    base = Department.objects.get(code="base-city")
    n = 12

    def create(i):
        with case_creation():
            case = example_create(actor=author, department=base, subject=f"并发{i}")
            if i % 3 == 0:  # the caller fails after the case was made: everything rolls back
                raise Refused
        return case.reference

    results = _race(create, n)
    refs = sorted(r for kind, r in results if kind == "ok")
    refused = [e for kind, e in results if kind == "err"]
    assert len(refused) == 4 and all(isinstance(e, Refused) for e in refused)
    assert len(refs) == len(set(refs)) == n - 4
    assert sorted(int(r.rsplit("-", 1)[1]) for r in refs) == list(range(1, n - 4 + 1))
    assert sorted(ExampleCase.objects.values_list("reference", flat=True)) == refs
    assert sorted(TaskRoute.objects.values_list("reference", flat=True)) == refs
    assert sorted(AuditEvent.objects.filter(action="example.create").values_list("reference", flat=True)) == refs
    assert ReferenceSequence.objects.get(prefix="EX").last == n - 4
    seal_pending()
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "待封存 0 条" in out
    assert verify().problem is None
