"""Finding tasks by part of a reference, title, organization or volunteer name (search key),
and the filters and sort keys every task list reads."""
import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from engine.cases import listing, search, selectors
from engine.cases.errors import RuleViolation
from engine.cases.models import TaskRoute
from engine.directory.models import Department
from tests.engine.cases.conftest import base_people  # noqa: F401
from tests.example.models import ExampleCase
from tests.example.services import example_create

pytestmark = pytest.mark.django_db


def _create(people, subject):
    return example_create(actor=people["head"], department=Department.objects.get(code="base-city"), subject=subject)


def test_search_key_doubles_each_character_so_two_chinese_characters_make_trigrams():
    assert search.search_key("志愿 Ab") == "志志愿愿  aabb"
    # a doubled text holds a doubled query exactly where the text holds the query
    assert search.search_key("愿者") in search.search_key("郑州志愿者协会")
    assert search.search_key("者志") not in search.search_key("郑州志愿者协会")


def test_a_new_route_is_found_by_its_final_reference_title_and_words(base_people):  # noqa: F811
    case = _create(base_people, "金水区志愿者协会年检")
    route = TaskRoute.objects.get(reference=case.reference)
    assert "~" not in route.search_key  # the provisional reference was replaced
    staff = base_people["staff"]
    for query in ("志愿", "金水区 年检", case.reference.lower(), case.reference[-6:]):
        assert [r.pk for r in selectors.task_queue(staff, q=query)] == [route.pk], query
    assert not selectors.task_queue(staff, q="养老").exists()
    assert not selectors.task_queue(staff, q="志愿 养老").exists()  # every word must match


def test_refresh_rewrites_the_key_after_a_name_changes(base_people, monkeypatch):  # noqa: F811
    case = _create(base_people, "事项")
    monkeypatch.setattr(ExampleCase, "search_words", lambda self: ["二七区红十字会"])
    assert search.refresh_case_search(case) == 1
    assert selectors.task_queue(base_people["staff"], q="红十字").count() == 1
    assert search.refresh_case_search(case) == 0  # unchanged keys are not rewritten


def test_filters_narrow_and_bad_filters_are_refused_together(base_people):  # noqa: F811
    a, b = _create(base_people, "甲"), _create(base_people, "乙")
    ra, rb = TaskRoute.objects.get(reference=a.reference), TaskRoute.objects.get(reference=b.reference)
    TaskRoute.objects.filter(pk=ra.pk).update(due_at=timezone.now() - datetime.timedelta(days=3))
    staff = base_people["staff"]
    read = listing.read_filters
    assert [r.pk for r in selectors.task_queue(staff, **read({"overdue": "1"}))] == [ra.pk]
    today = timezone.localdate()
    assert [r.pk for r in selectors.task_queue(staff, **read({"due_after": today.isoformat()}))] == [rb.pk]
    before = (today - datetime.timedelta(days=1)).isoformat()
    assert [r.pk for r in selectors.task_queue(staff, **read({"due_before": before}))] == [ra.pk]
    assert selectors.task_queue(staff, **read({"step": "prepare", "department": "base-city",
                                               "process": "example", "assignee": "none"})).count() == 2
    assert not selectors.task_queue(staff, **read({"step": "review"})).exists()
    assert not selectors.task_queue(staff, **read({"state": "done"})).exists()
    with pytest.raises(RuleViolation) as refused:
        read({"state": "lost", "sort": "owner__password", "due_after": "tomorrow", "overdue": "maybe"})
    assert set(refused.value.fields) == {"state", "sort", "due_after", "overdue"}


def test_sorting_is_by_whitelisted_keys_with_the_id_breaking_ties(base_people):  # noqa: F811
    for i in range(3):
        _create(base_people, f"事项{i}")
    same = timezone.now() + datetime.timedelta(days=5)
    TaskRoute.objects.update(due_at=same)
    staff = base_people["staff"]
    ids = sorted(TaskRoute.objects.values_list("pk", flat=True))
    assert [r.pk for r in selectors.task_queue(staff, sort="due")] == ids
    assert [r.pk for r in selectors.task_queue(staff, sort="-due")] == ids[::-1]
    refs = [r.reference for r in selectors.task_queue(staff, sort="-reference")]
    assert refs == sorted(refs, reverse=True)


def test_bounded_counts_are_one_query_for_any_number_of_lists(base_people, django_assert_num_queries):  # noqa: F811
    for i in range(3):
        _create(base_people, f"志愿{i}" if i else "养老")
    staff = base_people["staff"]
    refused = selectors.refused_route_ids(staff)
    lists = [selectors.task_queue(staff, refused=refused, q=q) for q in ("志愿", "养老", "", "无此")]
    with django_assert_num_queries(1):
        assert selectors.bounded_counts([*lists, TaskRoute.objects.none()]) == [2, 1, 3, 0, 0]
    with django_assert_num_queries(1):
        assert selectors.bounded_counts([lists[2]], bound=1) == [2]  # bound + 1: "more than the bound"


def test_route_search_key_written_for_each_case_type(base_people):  # noqa: F811
    case = _create(base_people, "测试")
    route = TaskRoute.objects.get(reference=case.reference)
    assert route.case_type == ContentType.objects.get_for_model(ExampleCase)
    assert route.search_key == search.case_search_key(case)
