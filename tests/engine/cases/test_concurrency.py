"""Races on PostgreSQL: one winner per claim, distinct gap-free reference numbers."""
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from engine.cases.actions import task_claim
from engine.cases.errors import StateConflict
from engine.cases.models import TaskRoute
from engine.directory.models import Department
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
