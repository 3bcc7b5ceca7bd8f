"""I3 under concurrency: two 民政局 approvals at the same moment at a base with one free place
admit exactly one; the other waits. PostgreSQL only (real row locks)."""
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from engine.cases.actions import task_claim, task_complete
from engine.directory.models import Department
from processes.incubation import services
from processes.incubation.models import Status
from processes.incubation.tasks import advance
from tests.factories import OrganizationFactory, member, org_user

from .conftest import open_route

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _in_approval(n, base, staff, experts):
    org = OrganizationFactory(name=f"并发组织{n}")
    user = org_user(org, username=f"race_org{n}")
    case = services.application_create(actor=user, organization=org, base=base, plan="计划", documents=["a"])
    services.application_submit(actor=user, application=case)
    task_complete(actor=staff, task_id=open_route(case, "intake").pk, decision="accept")
    for expert in experts:
        services.expert_score(actor=expert, application=case, score=80)
    case.refresh_from_db()
    assert case.status == Status.APPROVAL
    return case


def test_simultaneous_approvals_admit_exactly_one():
    call_command("setup_demo", "--no-demo", verbosity=0)
    base = Department.objects.get(code="base-jinshui")
    base.capacity = 1
    base.save()
    staff = member("base-jinshui", "staff", username="race_staff")
    experts = [member(None, "expert", username=f"race_expert{i}") for i in range(3)]
    reviewers = [member("mca-jinshui", "reviewer", username=f"race_reviewer{i}") for i in range(2)]
    cases = [_in_approval(n, base, staff, experts) for n in range(2)]
    routes = [open_route(c, "approval").pk for c in cases]
    assert all(open_route(c, "approval").department.code == "mca-jinshui" for c in cases)

    # Claim first: a claim writes an audit event, and the audit chain's head row would
    # serialize the two approvals on its own, hiding a missing capacity lock.
    for reviewer, route in zip(reviewers, routes):
        task_claim(actor=reviewer, task_id=route)
    barrier = threading.Barrier(2)
    errors = []

    def approve(i):
        try:
            barrier.wait(timeout=10)
            task_complete(actor=reviewers[i], task_id=routes[i], decision="approve")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    statuses = sorted(c.__class__.objects.get(pk=c.pk).status for c in cases)
    assert statuses == [Status.AGREEMENT, Status.WAITLISTED]


def test_a_place_freed_while_another_approval_runs_goes_to_the_first_waiting():
    """The holder exits (its place goes to the waiting list, I3) while 民政局 approves a third
    application: whichever commits first, the waiting one is admitted and the new one waits."""
    call_command("setup_demo", "--no-demo", verbosity=0)
    base = Department.objects.get(code="base-jinshui")
    base.capacity = 1
    base.save()
    staff = member("base-jinshui", "staff", username="race_staff")
    base_reviewer = member("base-jinshui", "reviewer", username="race_base_reviewer")
    experts = [member(None, "expert", username=f"race_expert{i}") for i in range(3)]
    reviewer = member("mca-jinshui", "reviewer", username="race_reviewer")
    holder, waiting, newcomer = (_in_approval(n, base, staff, experts) for n in range(3))
    task_complete(actor=reviewer, task_id=open_route(holder, "approval").pk, decision="approve")
    task_complete(actor=reviewer, task_id=open_route(waiting, "approval").pk, decision="approve")
    task_complete(actor=staff, task_id=open_route(holder, "agreement").pk, decision="offer", data={"terms": "协议"})
    holder = services.agreement_accept(actor=holder.organization.members.first(), application=holder)
    end = timezone.make_aware(timezone.datetime.combine(holder.incubation_end, timezone.datetime.min.time()))
    with time_machine.travel(end + timedelta(hours=10)):
        advance()
    exit_route, approval_route = open_route(holder, "graduation").pk, open_route(newcomer, "approval").pk
    task_claim(actor=base_reviewer, task_id=exit_route)
    task_claim(actor=reviewer, task_id=approval_route)
    barrier = threading.Barrier(2)
    errors = []

    def run(actor, route, decision, reason):
        try:
            barrier.wait(timeout=10)
            task_complete(actor=actor, task_id=route, decision=decision, reason=reason)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(base_reviewer, exit_route, "exit", "主动退出")),
               threading.Thread(target=run, args=(reviewer, approval_route, "approve", ""))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    statuses = [c.__class__.objects.get(pk=c.pk).status for c in (holder, waiting, newcomer)]
    assert statuses == [Status.EXITED, Status.AGREEMENT, Status.WAITLISTED]
