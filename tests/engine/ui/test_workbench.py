import pytest

from engine.cases.models import TaskRoute
from tests.engine.cases.conftest import base_people, example_case  # noqa: F401

pytestmark = pytest.mark.django_db


def test_queue_claim_and_complete_through_the_workbench(client, base_people, example_case):  # noqa: F811
    client.force_login(base_people["staff"])
    queue = client.get("/workbench/tasks/queue/").content.decode()
    assert "部门队列" in queue and example_case.reference in queue
    route = TaskRoute.objects.get(reference=example_case.reference)
    page = client.get(f"/workbench/tasks/task/{route.pk}/").content.decode()
    assert "认领" in page and "提交审核" in page
    client.post(f"/workbench/tasks/task/{route.pk}/", {"action": "claim"})
    assert example_case.reference in client.get("/workbench/tasks/inbox/").content.decode()
    client.post(f"/workbench/tasks/task/{route.pk}/", {"action": "complete", "decision": "submit"})
    example_case.refresh_from_db()
    assert example_case.status == "review"
    case_page = client.get(f"/workbench/tasks/case/{example_case.reference}/").content.decode()
    assert "流程图" in case_page and "<svg" in case_page and "审核" in case_page
    # history in words, not codes
    assert "准备材料：提交审核" in case_page and "草稿 → 审核中" in case_page and "认领待办" in case_page


def test_refusal_shows_a_message_and_changes_nothing(client, base_people, example_case):  # noqa: F811
    route = TaskRoute.objects.get(reference=example_case.reference)
    client.force_login(base_people["staff"])
    client.post(f"/workbench/tasks/task/{route.pk}/", {"action": "claim"})
    client.force_login(base_people["reviewer"])  # not in the staff queue: cannot even see it
    assert client.get(f"/workbench/tasks/task/{route.pk}/").status_code == 404
    client.force_login(base_people["head"])
    response = client.post(f"/workbench/tasks/task/{route.pk}/", {"action": "claim"}, follow=True)
    assert "已由他人认领" in response.content.decode()
    route.refresh_from_db()
    assert route.owner == base_people["staff"]


def test_other_district_cannot_open_the_case(client, base_people, example_case):  # noqa: F811
    client.force_login(base_people["other_district"])
    assert client.get(f"/workbench/tasks/case/{example_case.reference}/").status_code == 404
