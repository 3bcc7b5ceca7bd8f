"""The task list API's lean page: rows identical to ``TaskSerializer``'s, a fixed number of
queries, and D3's refusals read with the statement compiled once per process."""
import json
from functools import reduce
from operator import or_

import pytest
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from engine.cases import selectors
from engine.cases.actions import task_claim, task_complete, task_delegate
from engine.cases.models import TaskRoute
from engine.cases.selectors import refusals
from engine.cases.serializers import TaskSerializer
from engine.directory.models import Department
from tests.example.services import example_create
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(base_people):
    """Head prepared case A (its review is now open, D3 keeps it from the head); case B waits
    in the queue; the staff holds C, delegated to a colleague, and finished D."""
    base = Department.objects.get(code="base-city")
    head, staff = base_people["head"], base_people["staff"]
    cases = {name: example_create(actor=head, department=base, subject=f"事项{name}") for name in "ABCD"}
    route = {name: TaskRoute.objects.get(reference=case.reference) for name, case in cases.items()}
    task_claim(actor=head, task_id=route["A"].pk)
    task_complete(actor=head, task_id=route["A"].pk, decision="submit")
    task_claim(actor=staff, task_id=route["C"].pk)
    task_delegate(actor=staff, task_id=route["C"].pk, user_id=member("base-city", "staff").pk, reason="休假")
    task_claim(actor=staff, task_id=route["D"].pk)
    task_complete(actor=staff, task_id=route["D"].pk, decision="submit")
    review_a = TaskRoute.objects.get(reference=cases["A"].reference, node="approve")
    return {**base_people, "cases": cases, "review_a": review_a}


def _results(user, view):
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(f"/api/v1/tasks/?view={view}")
    assert response.status_code == 200
    return response.json()["results"]


def _serialized(ids):
    routes = TaskRoute.objects.select_related("task", "department", "owner", "delegate").filter(pk__in=ids)
    by_id = {r.pk: r for r in routes}
    return json.loads(JSONRenderer().render(TaskSerializer([by_id[pk] for pk in ids], many=True).data))


@pytest.mark.parametrize(("who", "view"), [("reviewer", "queue"), ("head", "queue"), ("staff", "inbox"),
                                           ("staff", "archive")])
def test_rows_are_the_serializers(world, who, view):
    rows = _results(world[who], view)
    assert rows, "every view of the world has rows to compare"
    assert rows == _serialized([row["id"] for row in rows])


def test_queue_leaves_out_what_the_user_may_not_work(world):
    """D3: the head prepared case A, so its review is in the reviewers' queue, not the head's."""
    review = world["review_a"].pk
    assert review in [row["id"] for row in _results(world["reviewer"], "queue")]
    assert review not in [row["id"] for row in _results(world["head"], "queue")]


@pytest.mark.parametrize("who", ["head", "reviewer", "staff", "other_district"])
def test_refused_ids_are_the_rules(world, who):
    """The once-compiled statement, the user's id put in, finds what the rules themselves find;
    asked for several users in turn, each gets their own."""
    user = world[who]
    expected = set(TaskRoute.objects.filter(reduce(or_, refusals(user)), state=TaskRoute.State.OPEN)
                   .values_list("pk", flat=True))
    assert set(selectors.refused_route_ids(user)) == expected
    if who == "head":
        assert expected == {world["review_a"].pk}


@pytest.mark.parametrize("view", ["queue", "inbox", "archive"])
def test_list_queries_are_few_and_fixed(world, django_assert_max_num_queries, view):
    """Memberships, D3 refusals, bounded count, page ids, page rows: five, once the process
    has read its content types (the first request of a process reads them once), plus the
    request transaction's savepoint and its release."""
    user = world["head" if view == "queue" else "staff"]
    _results(user, view)
    fresh = type(user).objects.get(pk=user.pk)  # memberships not yet read, as in a new request
    with django_assert_max_num_queries(5 + 2):
        assert _results(fresh, view)
