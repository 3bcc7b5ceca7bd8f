"""The task list API searches, filters and sorts as the workbench does, with a fixed number of
queries; bulk claim and reassign answer task by task."""
import pytest
from rest_framework.test import APIClient

from engine.cases.models import TaskRoute
from engine.directory.models import Department
from tests.engine.cases.conftest import base_people  # noqa: F401
from tests.example.services import example_create
from tests.factories import member

pytestmark = pytest.mark.django_db


def _create(people, subject):
    return example_create(actor=people["head"], department=Department.objects.get(code="base-city"), subject=subject)


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def _open(case):
    return TaskRoute.objects.get(reference=case.reference, state__in=["open", "claimed"])


def test_search_by_part_of_a_name_takes_the_same_queries_at_two_sizes(
        base_people, django_assert_max_num_queries):  # noqa: F811
    api = _api(base_people["staff"])
    wanted = _create(base_people, "管城区青年志愿者协会")
    _create(base_people, "其他事项")
    url = "/api/v1/tasks/?view=queue&q=青年志愿&sort=-created"
    with django_assert_max_num_queries(10) as small:
        body = api.get(url).json()
    assert [row["reference"] for row in body["results"]] == [wanted.reference]
    for i in range(30):
        _create(base_people, f"青年志愿服务{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = api.get(url).json()
    assert body["count"] == 31 and len(body["results"]) == 20
    created = [row["created_at"] for row in body["results"]]
    assert created == sorted(created, reverse=True)


def test_bad_filters_are_a_400_naming_each(base_people):  # noqa: F811
    response = _api(base_people["staff"]).get("/api/v1/tasks/?view=queue&state=lost&sort=password&due_before=x")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"state", "sort", "due_before"}


def test_bulk_claim_answers_each_task(base_people):  # noqa: F811
    staff = base_people["staff"]
    a, b = _create(base_people, "甲"), _create(base_people, "乙")
    other = example_create(actor=base_people["other_district"], subject="别处",
                           department=Department.objects.get(code="mca-erqi"))
    response = _api(staff).post("/api/v1/tasks/bulk/", {
        "action": "claim", "tasks": [_open(a).pk, _open(b).pk, _open(other).pk, _open(a).pk]}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["done"], body["failed"]) == (2, 1)
    by_id = {row["id"]: row for row in body["results"]}
    refused = by_id[_open(other).pk]
    assert refused == {"id": _open(other).pk, "reference": "", "ok": False, "code": "not_found",
                       "detail": refused["detail"]} and refused["detail"]
    assert _open(a).owner_id == _open(b).owner_id == staff.pk
    again = _api(staff).post("/api/v1/tasks/bulk/", {"action": "claim", "tasks": [_open(a).pk]}, format="json").json()
    assert again["results"][0]["code"] == "task_claimed"


def test_bulk_reassign_is_for_the_head_and_checks_the_body(base_people):  # noqa: F811
    colleague = member("base-city", "staff", username="ex_staff3")
    a = _create(base_people, "甲")
    assert _api(base_people["head"]).post("/api/v1/tasks/bulk/", {"action": "reassign", "tasks": [_open(a).pk]},
                                          format="json").status_code == 400  # no user
    assert _api(base_people["head"]).post("/api/v1/tasks/bulk/", {"action": "claim", "tasks": []},
                                          format="json").status_code == 400
    refused = _api(base_people["staff"]).post("/api/v1/tasks/bulk/", {
        "action": "reassign", "tasks": [_open(a).pk], "user": colleague.pk}, format="json").json()
    assert refused["results"][0]["code"] == "permission_denied" and _open(a).owner_id is None
    done = _api(base_people["head"]).post("/api/v1/tasks/bulk/", {
        "action": "reassign", "tasks": [_open(a).pk], "user": colleague.pk, "reason": "分工"}, format="json").json()
    assert done["done"] == 1 and _open(a).owner_id == colleague.pk
