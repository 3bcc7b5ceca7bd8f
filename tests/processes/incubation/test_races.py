"""Several 民政局 approvals at once at a base with one free place, the tasks claimed first (as
reviewers do): one is admitted, the rest wait in order (I3); none meets a deadlock's 500.
PostgreSQL only (real row locks)."""
import threading

import pytest
from django.core.management import call_command
from django.db import connections

from engine.cases.actions import task_claim, task_complete
from engine.cases.errors import DomainError
from engine.directory.models import Department
from processes.incubation.models import Status
from tests.factories import member

from .conftest import open_route
from .test_capacity_concurrency import _in_approval

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
N = 4


def test_claimed_approvals_at_one_free_place_admit_one_and_queue_the_rest():
    call_command("setup_demo", "--no-demo", verbosity=0)
    base = Department.objects.get(code="base-jinshui")
    base.capacity = 1
    base.save()
    staff = member("base-jinshui", "staff", username="race_staff")
    experts = [member(None, "expert", username=f"race_expert{i}") for i in range(3)]
    reviewers = [member("mca-jinshui", "reviewer", username=f"race_reviewer{i}") for i in range(N)]
    cases = [_in_approval(n, base, staff, experts) for n in range(N)]
    routes = [open_route(c, "approval").pk for c in cases]
    for reviewer, route in zip(reviewers, routes):
        task_claim(actor=reviewer, task_id=route)
    barrier, outcomes = threading.Barrier(N), [None] * N

    def approve(i):
        try:
            barrier.wait(timeout=30)
            task_complete(actor=reviewers[i], task_id=routes[i], decision="approve")
            outcomes[i] = "ok"
        except DomainError as exc:
            outcomes[i] = exc.code
        except Exception as exc:  # noqa: BLE001 - would be a 500
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == ["ok"] * N
    statuses = sorted(c.__class__.objects.get(pk=c.pk).status for c in cases)
    assert statuses == [Status.AGREEMENT] + [Status.WAITLISTED] * (N - 1)
