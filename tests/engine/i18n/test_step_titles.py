"""D7: a step's title is shown in the reader's language, read from the flow when shown, not in
the language that was active when the task was made (``TaskRoute.step_title`` keeps that)."""
import pytest
from django.utils import translation

from engine.cases.models import TaskRoute
from engine.cases.serializers import TaskSerializer
from engine.directory import demo as directory_demo
from engine.directory.models import User
from engine.processes import process_label, step_title
from processes.incubation import demo as incubation_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def intake(db):
    """The demo's incubation tasks, their stored titles made Chinese as when written by default."""
    directory_demo.load()
    with translation.override("zh-hans"):
        incubation_demo.load()
    TaskRoute.objects.filter(process_name="incubation", node="intake").update(step_title="受理审查")
    return TaskRoute.objects.filter(process_name="incubation", node="intake").order_by("pk").first()


def test_step_title_and_process_label_follow_the_active_language():
    with translation.override("en"):
        assert step_title("incubation", "intake", "受理审查") == "Intake check"
        assert process_label("incubation") == "Organization incubation"
    with translation.override("zh-hans"):
        assert step_title("incubation", "intake", "Intake check") == "受理审查"
        assert process_label("procurement") == "政府购买服务"


def test_a_step_the_flow_no_longer_has_keeps_its_stored_title():
    assert step_title("incubation", "retired_step", "旧环节") == "旧环节"
    assert step_title("no_such_process", "intake", "Stored") == "Stored"
    assert process_label("no_such_process") == "no_such_process"


def test_route_and_serializer_show_the_readers_language(intake):
    route = TaskRoute.objects.select_related("task", "department").get(pk=intake.pk)
    with translation.override("en"):
        assert route.display_step_title == "Intake check" and route.process_label == "Organization incubation"
        assert TaskSerializer(route).data["step_title"] == "Intake check"
    with translation.override("zh-hans"):
        assert TaskSerializer(route).data["step_title"] == "受理审查"


def test_task_list_api_and_task_page_in_english_with_chinese_stored(client, intake):
    client.force_login(User.objects.get(username="base_staff"))

    rows = client.get("/api/v1/tasks/?view=archive", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assert {row["step_title"] for row in rows if row["node"] == "intake"} == {"Intake check"}
    detail = client.get(f"/api/v1/tasks/{intake.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert detail["step_title"] == "Intake check"
    rows = client.get("/api/v1/tasks/?view=archive", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["results"]
    assert {row["step_title"] for row in rows if row["node"] == "intake"} == {"受理审查"}

    client.cookies["django_language"] = "en"
    page = client.get(f"/workbench/tasks/task/{intake.pk}/").content.decode()
    assert "Intake check" in page and "受理审查" not in page
    client.cookies["django_language"] = "zh-hans"
    page = client.get(f"/workbench/tasks/task/{intake.pk}/").content.decode()
    assert "受理审查" in page


def test_the_admin_task_list_reads_the_chosen_language(client, intake):
    client.force_login(User.objects.get(username="admin"))
    client.cookies["django_language"] = "en"
    page = client.get("/admin/cases/taskroute/").content.decode()
    assert "Intake check" in page and "受理审查" not in page
    client.cookies["django_language"] = "zh-hans"
    assert "受理审查" in client.get("/admin/cases/taskroute/").content.decode()
