"""The department queue page at any size: a fixed number of queries, a count that stops at a
bound instead of counting the whole queue, a stable order, and an index that serves it."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from engine.cases import selectors
from engine.cases.models import TaskRoute
from engine.directory.models import Department
from tests.engine.cases.conftest import base_people  # noqa: F401
from tests.example.services import example_create

pytestmark = pytest.mark.django_db


def _fill(people, n):
    base = Department.objects.get(code="base-city")
    for i in range(n):
        example_create(actor=people["head"], department=base, subject=f"事项{i}")


def test_workbench_queue_page_costs_the_same_queries_at_any_size(
        client, base_people, django_assert_max_num_queries):  # noqa: F811
    client.force_login(base_people["staff"])
    _fill(base_people, 2)
    client.get("/workbench/tasks/queue/")  # a running server has its content types cached already
    # 14: the page, plus the department choices of its filters, the saved filters and the menu's counts
    with django_assert_max_num_queries(14) as small:
        assert client.get("/workbench/tasks/queue/").status_code == 200
    _fill(base_people, 45)  # three pages
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get("/workbench/tasks/queue/?page=2").content.decode()
    assert "第 2 / 3 页" in page and "共 47 件" in page


def test_count_stops_at_the_bound_and_says_so(client, base_people, monkeypatch):  # noqa: F811
    monkeypatch.setattr(selectors.LateRowPaginator, "COUNT_BOUND", 3)
    _fill(base_people, 5)
    staff = base_people["staff"]
    paginator = selectors.LateRowPaginator(selectors.task_queue(staff), 2)
    with CaptureQueriesContext(connection) as captured:
        assert paginator.count == 3
    assert paginator.count_is_bounded and paginator.num_pages == 2
    # one query, and it reads at most bound + 1 rows rather than counting the queue
    (sql,) = [q["sql"] for q in captured.captured_queries]
    assert "LIMIT 4" in sql.upper()

    api = APIClient()
    api.force_authenticate(staff)
    body = api.get("/api/v1/tasks/?view=queue&page_size=2").json()
    assert body["count"] == 3 and body["count_is_bounded"] is True and len(body["results"]) == 2
    # past the bound's last page there is no page: a 404, not a page of a million-row count
    assert api.get("/api/v1/tasks/?view=queue&page_size=2&page=3").status_code == 404
    client.force_login(staff)
    page = client.get("/workbench/tasks/queue/").content.decode()
    assert "共 3+ 件" in page
    assert TaskRoute.objects.filter(state="open").count() == 5  # reading changed nothing


def test_count_under_the_bound_is_exact(base_people):  # noqa: F811
    _fill(base_people, 4)
    paginator = selectors.LateRowPaginator(selectors.task_queue(base_people["staff"]), 20)
    assert paginator.count == 4 and not paginator.count_is_bounded


def test_queue_order_is_priority_then_due_time_then_task(base_people):  # noqa: F811
    _fill(base_people, 4)
    routes = list(TaskRoute.objects.order_by("pk"))
    due = routes[0].due_at
    TaskRoute.objects.filter(pk__in=[r.pk for r in routes]).update(due_at=due)  # all tie on due time
    TaskRoute.objects.filter(pk=routes[2].pk).update(priority=5)
    order = list(selectors.task_queue(base_people["staff"]).values_list("pk", flat=True))
    assert order == [routes[2].pk, routes[0].pk, routes[1].pk, routes[3].pk]


@pytest.mark.postgres
def test_postgres_serves_the_queue_page_from_its_partial_index(base_people):  # noqa: F811
    _fill(base_people, 3)
    qs = selectors.task_queue(base_people["staff"]).values_list("pk", flat=True)[:20]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        # the planner reads this table's current statistics, not those an earlier test left
        cursor.execute(f"ANALYZE {TaskRoute._meta.db_table}")
        # on three rows any plan is cheap; rule out the others so the test asks only whether
        # the partial index can serve the page in its order
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "route_queue_page_idx" in plan
    assert "Sort" not in plan.split("route_queue_page_idx")[0]  # no sort above the index scan
