"""On PostgreSQL the search is served by the trigram index, Chinese substrings included."""
import pytest
from django.db import connection

from engine.cases import selectors
from engine.cases.models import TaskRoute
from engine.cases.search import matching
from engine.directory.models import Department
from tests.engine.cases.conftest import base_people  # noqa: F401
from tests.example.services import example_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few test rows: ask whether the index CAN serve it
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_trigram_extension_and_index_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'route_search_trgm_idx'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition and "search_key" in definition


@pytest.mark.parametrize("query", ["志愿", "郑州市志愿者", "zb-2026"])
def test_a_substring_search_uses_the_trigram_index(query):
    plan = _plan(TaskRoute.objects.filter(matching(query)).values("pk"))
    assert "route_search_trgm_idx" in plan, plan


def test_the_trigram_index_sees_chinese_characters_as_words():
    """pg_trgm keeps only alphanumeric characters by the database's locale: in a C locale a
    Chinese text has no trigrams and the index would find nothing."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_length(show_trgm(%s), 1)", ["志志愿愿"])
        assert cursor.fetchone()[0] >= 2


def test_the_queue_search_finds_by_part_of_an_organization_name(base_people):  # noqa: F811
    base = Department.objects.get(code="base-city")
    wanted = example_create(actor=base_people["head"], department=base, subject="郑州市惠济区志愿者协会年检")
    example_create(actor=base_people["head"], department=base, subject="二七区养老服务站年检")
    found = [r.reference for r in selectors.task_queue(base_people["staff"], q="惠济区志愿")]
    assert found == [wanted.reference]
    assert [r.reference for r in selectors.task_queue(base_people["staff"], q="志愿")] == [wanted.reference]
