"""Issuing a certificate costs a fixed, small number of queries, whatever else is in the system."""
from decimal import Decimal

import pytest

from engine.cases.actions import task_complete
from engine.cases.models import TaskRoute
from processes.certification.services.requests import request_create

from .conftest import approved, make_activity

pytestmark = pytest.mark.django_db
BUDGET = {"issue": 38}


def issue_cost(vol_user, volunteer, org, manager, count_queries):
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org, purpose="升学")
    route = TaskRoute.objects.get(reference=case.reference, state__in=["open", "claimed"])
    return {"issue": count_queries(lambda: task_complete(actor=manager, task_id=route.pk, decision="issue"))}


def test_issuing_stays_within_its_query_budget_as_records_grow(vol_user, volunteer, org, manager, count_queries):
    approved(manager, volunteer, make_activity(org, manager, name="活动一"), Decimal("2"))
    issue_cost(vol_user, volunteer, org, manager, count_queries)  # warm the caches
    first = issue_cost(vol_user, volunteer, org, manager, count_queries)
    for n in range(5):
        approved(manager, volunteer, make_activity(org, manager, name=f"活动{n + 2}", days_ago=n + 2), Decimal("1"))
    later = issue_cost(vol_user, volunteer, org, manager, count_queries)
    assert first == later
    assert all(first[name] <= BUDGET[name] for name in BUDGET), first
