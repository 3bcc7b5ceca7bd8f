"""The README's incubation demo, followed through the pages on the demo data to its end: the
returned application is resubmitted in the portal, accepted at intake and sent to three
experts free of conflicts (expert2 belongs to the applicant, D3), scored, approved by the
Civil Affairs Bureau, offered an agreement, and the agreement accepted in the portal."""
import pytest
from django.contrib.auth import get_user_model

from engine.cases.models import TaskRoute
from engine.directory import demo as directory_demo
from processes.incubation import demo
from processes.incubation.models import IncubationApplication, Status

pytestmark = pytest.mark.django_db


def _open(reference, node, **filters):
    return TaskRoute.objects.open().get(reference=reference, node=node, **filters)


def _as(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _decide(client, route, decision, **fields):
    response = client.post(route.get_absolute_url(), {"action": "complete", "decision": decision, **fields})
    assert response.status_code == 302
    errors = [str(m) for m in response.wsgi_request._messages if m.level_tag == "error"]
    assert errors == []


def test_the_returned_application_runs_to_an_accepted_agreement(client):
    directory_demo.load()
    demo.load()
    case = IncubationApplication.objects.get(organization__name="郑州市金水区阳光志愿者协会")
    assert case.status == Status.RETURNED

    _as(client, "org_sunshine").post(f"/incubation/{case.reference}/update/", {
        "plan": case.plan, "documents": "章程.pdf\n理事会成员名单.pdf\n近一年活动记录.pdf", "submit": "1"})
    case.refresh_from_db()
    assert case.status == Status.INTAKE_CHECK

    intake = _open(case.reference, "intake")
    queue = _as(client, "base_staff").get("/workbench/tasks/queue/").content.decode()
    assert case.reference in queue
    client.post(intake.get_absolute_url(), {"action": "claim"})
    _decide(client, intake, "accept")  # 受理，送专家评审
    case.refresh_from_db()
    assert case.status == Status.EXPERT_REVIEW
    scorers = set(TaskRoute.objects.open().filter(reference=case.reference, node="score")
                  .values_list("owner__username", flat=True))
    assert scorers == {"expert1", "expert3", "expert4"}

    for username, score in (("expert1", "80"), ("expert3", "76"), ("expert4", "82")):
        route = _open(case.reference, "score", owner__username=username)
        assert case.reference in _as(client, username).get("/workbench/tasks/inbox/").content.decode()
        _decide(client, route, "score", data_score=score, data_comment="材料齐全。")
    case.refresh_from_db()
    assert case.status == Status.APPROVAL

    approval = _open(case.reference, "approval")
    # the approver decides with the panel's scores in front of them; a panel member sees none of the others'
    page = _as(client, "mca_reviewer").get(approval.get_absolute_url()).content.decode()
    assert "平均分 79.33" in page and "76" in page and "82" in page
    assert "平均分" not in _as(client, "expert3").get(approval.get_absolute_url()).content.decode()
    _as(client, "mca_reviewer").post(approval.get_absolute_url(), {"action": "claim"})
    _decide(client, approval, "approve")
    case.refresh_from_db()
    assert case.status == Status.AGREEMENT

    agreement = _open(case.reference, "agreement")
    _as(client, "base_staff").post(agreement.get_absolute_url(), {"action": "claim"})
    _decide(client, agreement, "offer", data_terms="孵化期一年，每季度报送活动情况。")
    _as(client, "org_sunshine").post(f"/incubation/{case.reference}/accept-agreement/")
    case.refresh_from_db()
    assert case.status == Status.INCUBATING
