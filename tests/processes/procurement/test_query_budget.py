"""Each procurement step costs a fixed, small number of queries, whatever else is in the system."""
import pytest

from engine.cases.actions import task_complete

from .conftest import Driver, route

pytestmark = pytest.mark.django_db
BUDGET = {"submit": 18, "precheck": 24}


def steps(people, budget, count_queries):
    drive = Driver(people, budget)
    drive.create(amount="10000.00")
    return {
        "submit": count_queries(lambda: task_complete(
            actor=people["staff"], task_id=route(drive.tender, "prepare").pk, decision="submit")),
        "precheck": count_queries(lambda: task_complete(
            actor=people["fin"], task_id=route(drive.tender, "precheck").pk, decision="approve")),
    }


def test_steps_stay_within_their_query_budget_as_tenders_grow(people, budget, count_queries):
    steps(people, budget, count_queries)  # warm the caches (content types, calendar)
    first = steps(people, budget, count_queries)
    for _ in range(5):
        other = Driver(people, budget)
        other.create(amount="10000.00")
        other.publish()
    later = steps(people, budget, count_queries)
    assert first == later
    assert all(first[name] <= BUDGET[name] for name in BUDGET), first
