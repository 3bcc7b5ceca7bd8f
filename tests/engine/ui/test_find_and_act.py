"""The workbench lists people live in: search, filters, sorting, saved filters with counts,
counts on the menu, the landing page, bulk claim and reassign, and what a decision says."""
import dataclasses

import pytest
from django.contrib.messages import get_messages
from django.utils.encoding import iri_to_uri

from engine.cases.errors import RuleViolation, StateConflict
from engine.cases.models import TaskRoute
from engine.directory.models import Department
from engine.ui.models import SavedFilter
from engine.ui.saved import saved_filter_create
from tests.engine.cases.conftest import base_people  # noqa: F401
from tests.example.flows import ExampleFlow
from tests.example.models import ExampleCase
from tests.example.services import example_create
from tests.factories import member

pytestmark = pytest.mark.django_db
QUEUE = "/workbench/tasks/queue/"


def _create(people, subject):
    return example_create(actor=people["head"], department=Department.objects.get(code="base-city"), subject=subject)


def _route(case):
    return TaskRoute.objects.get(reference=case.reference, state__in=["open", "claimed"])


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_queue_search_filters_and_saved_filters_cost_the_same_queries_at_any_size(
        client, base_people, django_assert_max_num_queries):  # noqa: F811
    staff = base_people["staff"]
    client.force_login(staff)
    _create(base_people, "金水区志愿者协会年检")
    _create(base_people, "二七区养老服务站年检")
    saved_filter_create(user=staff, view="queue", name="志愿", query="q=志愿")
    url = QUEUE + "?q=志愿&sort=-due&department=base-city&step=prepare&assignee=none"
    client.get(url)  # per-process caches warmed (content types), as on a running server
    with django_assert_max_num_queries(16) as small:
        page = client.get(url).content.decode()
    assert "金水区志愿者协会年检" in page and "二七区养老服务站年检" not in page
    for i in range(25):
        _create(base_people, f"志愿服务项目{i}")
    for name in ("养老", "年检", "全部"):
        saved_filter_create(user=staff, view="queue", name=name, query=f"q={name}" if name != "全部" else "")
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url + "&page=2").content.decode()
    assert "第 2 / 2 页" in page and "共 26 件" in page
    # the saved filters with their counts, in one line each
    counts = {s.name: s for s in SavedFilter.objects.filter(user=staff)}
    assert set(counts) == {"志愿", "养老", "年检", "全部"}
    assert 'href="?q=%E5%BF%97%E6%84%BF"' in page  # the saved filter's link
    assert '<span class="zy-badge">26</span>' in page and '<span class="zy-badge">27</span>' in page


def test_a_bad_filter_says_so_and_shows_the_unfiltered_list(client, base_people):  # noqa: F811
    client.force_login(base_people["staff"])
    case = _create(base_people, "事项")
    response = client.get(QUEUE + "?sort=owner__password&due_after=昨天")
    assert response.status_code == 200 and case.reference in response.content.decode()
    assert any("sort" in m and "due_after" in m for m in _messages(response))


def test_the_menu_counts_what_waits_and_the_landing_page_lists_it(client, base_people):  # noqa: F811
    staff = base_people["staff"]
    client.force_login(staff)
    first, second, third = (_create(base_people, f"事项{i}") for i in range(3))
    client.post(f"/workbench/tasks/task/{_route(first).pk}/", {"action": "claim"})
    page = client.get("/workbench/tasks/inbox/").content.decode()
    assert '我的待办 <span class="zy-menu-count">1</span>' in page
    assert '部门队列 <span class="zy-menu-count">2</span>' in page
    landing = client.get("/workbench/", follow=True).content.decode()
    assert "等我办理" in landing and "等我部门办理" in landing
    assert first.reference in landing and second.reference in landing and third.reference in landing


def test_saved_filter_names_are_unique_per_list_and_bad_queries_are_not_kept(base_people):  # noqa: F811
    staff = base_people["staff"]
    saved_filter_create(user=staff, view="queue", name="逾期", query="overdue=1")
    with pytest.raises(StateConflict) as taken:
        saved_filter_create(user=staff, view="queue", name="逾期", query="overdue=0")
    assert taken.value.code == "saved_filter_name_taken"
    with pytest.raises(RuleViolation):
        saved_filter_create(user=staff, view="queue", name="坏的", query="state=lost")
    assert SavedFilter.objects.filter(user=staff).count() == 1


def test_bulk_claim_reports_each_task(client, base_people):  # noqa: F811
    staff = base_people["staff"]
    client.force_login(staff)
    a, b = _create(base_people, "甲"), _create(base_people, "乙")
    ra, rb = _route(a), _route(b)
    client.post(f"/workbench/tasks/task/{rb.pk}/", {"action": "claim"})  # already mine: refused, reported
    response = client.post("/workbench/tasks/bulk/", {"action": "claim", "tasks": [ra.pk, rb.pk, 999999],
                                                        "back": QUEUE})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 件已办，2 件未办" in page
    assert a.reference in page and b.reference in page and "您已认领该待办" in page
    assert TaskRoute.objects.get(pk=ra.pk).owner_id == staff.pk


def test_bulk_reassign_by_the_head_and_refused_to_others(client, base_people):  # noqa: F811
    colleague = member("base-city", "staff", username="ex_staff2")
    a, b = _create(base_people, "甲"), _create(base_people, "乙")
    client.force_login(base_people["staff"])
    client.post("/workbench/tasks/bulk/", {"action": "reassign", "tasks": [_route(a).pk], "user": colleague.pk})
    assert _route(a).owner_id is None  # staff is not the head: refused
    client.force_login(base_people["head"])
    page = client.get(QUEUE).content.decode()
    assert f'<option value="{colleague.pk}">' in page  # the head is offered the people of the department
    response = client.post("/workbench/tasks/bulk/", {
        "action": "reassign", "tasks": [_route(a).pk, _route(b).pk], "user": colleague.pk, "reason": "分工"})
    assert "2 件已办，0 件未办" in response.content.decode()
    assert {_route(a).owner_id, _route(b).owner_id} == {colleague.pk}


def test_a_decision_says_where_the_case_went_and_returns_to_the_list(client, base_people):  # noqa: F811
    staff = base_people["staff"]
    client.force_login(staff)
    case = _create(base_people, "事项")
    route = _route(case)
    client.post(f"/workbench/tasks/task/{route.pk}/", {"action": "claim"})
    back = QUEUE + "?q=事项"
    response = client.post(f"/workbench/tasks/task/{route.pk}/", {
        "action": "complete", "decision": "submit", "back": back})
    assert response.status_code == 302 and response.url == iri_to_uri(back)
    message = _messages(response)[-1]  # after the claim's own message
    assert message == f"{case.reference}：提交审核。已送 郑州市社会组织孵化基地 审核人 队列。"


def test_an_irreversible_refusal_asks_to_confirm_first(client, base_people, monkeypatch):  # noqa: F811
    decisions = ExampleFlow.approve.decisions
    monkeypatch.setitem(decisions, "send_back", dataclasses.replace(decisions["send_back"], style="danger"))
    case = _create(base_people, "事项")
    client.force_login(base_people["staff"])
    client.post(f"/workbench/tasks/task/{_route(case).pk}/", {"action": "complete", "decision": "submit"})
    client.force_login(base_people["reviewer"])
    review = _route(case)
    page = client.get(f"/workbench/tasks/task/{review.pk}/").content.decode()
    assert 'class="zy-btn danger" name="decision" value="send_back"' in page
    asked = client.post(f"/workbench/tasks/task/{review.pk}/", {
        "action": "complete", "decision": "send_back", "reason": "材料不全", "back": "https://evil.example/"})
    assert asked.status_code == 200 and "请确认" in asked.content.decode()
    assert 'name="reason" value="材料不全"' in asked.content.decode()
    assert ExampleCase.objects.get(pk=case.pk).status == "review"  # nothing changed yet
    done = client.post(f"/workbench/tasks/task/{review.pk}/", {
        "action": "complete", "decision": "send_back", "reason": "材料不全", "confirmed": "1",
        "back": "https://evil.example/"})
    assert ExampleCase.objects.get(pk=case.pk).status == "draft"
    assert done.url == "/workbench/tasks/queue/"  # not off the site: the user's queue
    assert "已送 郑州市社会组织孵化基地 经办人 队列" in _messages(done)[0]
