"""D7 on the workbench: the task pages (inbox, queue, a task, a case) are English once English is
chosen, apart from data, and Chinese by default as before."""
import re

import pytest

from engine.cases.models import TaskRoute
from engine.directory.models import Department, User
from engine.processes import hooks
from tests.engine.cases.conftest import base_people  # noqa: F401
from tests.example.flows import AssignedExampleFlow, ExampleFlow, PanelExampleFlow, TimedExampleFlow
from tests.example.models import ExampleCase
from tests.example.services import example_create

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
SWITCH = '<button name="language" value="zh-hans" lang="zh-hans">简体中文</button>'


EXAMPLE_FLOWS = (ExampleFlow, TimedExampleFlow, AssignedExampleFlow, PanelExampleFlow)


def data_strings() -> list[str]:
    """What the pages show that is data, not interface: people's and departments' names, the
    example process's own step titles, decisions and statuses, and the process areas' names in
    the menu (the process apps' texts, translated in their own catalogs)."""
    steps = [ExampleFlow.prepare, ExampleFlow.approve]
    return sorted({
        *(user.display_name for user in User.objects.all()), *User.objects.values_list("username", flat=True),
        *Department.objects.values_list("name", flat=True),
        *(str(node.step_title) for flow_class in EXAMPLE_FLOWS for node in flow_class.instance.nodes()
          if getattr(node, "step_title", None)),
        *(str(decision.label) for step in steps for decision in step.decisions.values()),
        *(str(label) for _code, label in ExampleCase._meta.get_field("status").choices),
        *(str(make_app().title) for make_app in hooks("workbench_app")),
    }, key=len, reverse=True)


def interface_text(page: str) -> str:
    page = page.replace(SWITCH, "")
    for text in data_strings():
        if text:
            page = page.replace(text, "")
    return page


@pytest.fixture
def pages(client, base_people):  # noqa: F811
    def visit(language=None):
        if language:
            client.cookies["django_language"] = language
        case = example_create(actor=base_people["staff"], department=Department.objects.get(code="base-city"),
                              subject="Test matter")
        route = TaskRoute.objects.get(reference=case.reference)
        client.force_login(base_people["staff"])
        claimed = client.post(f"/workbench/tasks/task/{route.pk}/", {"action": "claim"}, follow=True)
        paths = ("/workbench/tasks/inbox/", "/workbench/tasks/queue/", f"/workbench/tasks/task/{route.pk}/",
                 f"/workbench/tasks/case/{case.reference}/")
        return {"claimed": claimed.content.decode(), **{path: client.get(path).content.decode() for path in paths}}
    return visit


def test_workbench_pages_have_no_chinese_outside_data_once_english_is_chosen(pages):
    visited = pages("en")

    for path, page in visited.items():
        assert not CJK.findall(interface_text(page)), (path, sorted(set(CJK.findall(interface_text(page)))))
    assert "Claimed." in visited["claimed"] and "My tasks" in visited["/workbench/tasks/inbox/"]
    assert "Department queue" in visited["/workbench/tasks/queue/"]
    task_page = next(page for path, page in visited.items() if "/task/" in path)
    assert "Due date" in task_page and "Claimed the task" in task_page and "Return to the queue" in task_page
    case_page = next(page for path, page in visited.items() if "/case/" in path)
    assert "Flow chart" in case_page and "Lead department" in case_page


def test_workbench_pages_stay_chinese_by_default(pages):
    visited = pages()

    assert "已认领。" in visited["claimed"] and "我的待办" in visited["/workbench/tasks/inbox/"]
    assert "部门队列" in visited["/workbench/tasks/queue/"] and "暂无待办。" in visited["/workbench/tasks/queue/"]
    task_page = next(page for path, page in visited.items() if "/task/" in path)
    assert "办理期限" in task_page and "认领待办" in task_page and "退回队列" in task_page
    case_page = next(page for path, page in visited.items() if "/case/" in path)
    assert "流程图" in case_page and "主办部门" in case_page and "办理记录" in case_page
