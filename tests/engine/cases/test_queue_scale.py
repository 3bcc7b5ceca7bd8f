"""A queue page costs the same number of queries at any size, and stays in its district (D1)."""
import pytest
from rest_framework.test import APIClient

from engine.cases.actions import task_claim, task_complete
from engine.cases.models import TaskRoute
from engine.cases.selectors import task_queue
from engine.directory.models import Department
from tests.example.services import example_create
from tests.factories import member

pytestmark = pytest.mark.django_db


def _page(client, view="queue"):
    response = client.get(f"/api/v1/tasks/?view={view}")
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("view", ["queue", "inbox", "archive"])
def test_query_count_does_not_grow(base_people, django_assert_max_num_queries, view):
    base = Department.objects.get(code="base-city")
    client = APIClient()
    client.force_authenticate(base_people["staff"])

    def grow(n):
        for i in range(n):
            case = example_create(actor=base_people["head"], department=base, subject=f"事项{i}")
            route = TaskRoute.objects.get(reference=case.reference)
            if view != "queue":
                task_claim(actor=base_people["staff"], task_id=route.pk)
            if view == "archive":
                task_complete(actor=base_people["staff"], task_id=route.pk, decision="submit")

    grow(2)
    with django_assert_max_num_queries(8) as small:
        _page(client, view)
    grow(25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert _page(client, view)["count"] == 27


def test_district_task_never_in_another_districts_queue(db):
    jinshui, erqi = Department.objects.get(code="mca-jinshui"), Department.objects.get(code="mca-erqi")
    author = member("mca-jinshui", "head")
    example_create(actor=author, department=jinshui, subject="金水区事项")
    erqi_staff, jinshui_staff = member("mca-erqi", "staff"), member("mca-jinshui", "staff")
    city_staff = member("mca", "staff")

    assert task_queue(jinshui_staff).count() == 1
    assert task_queue(erqi_staff).count() == 0
    assert task_queue(city_staff).count() == 0  # the city body sees it only after escalation
    assert erqi.pk != jinshui.pk
