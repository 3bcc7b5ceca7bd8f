"""The portal section and the demo data."""
import pytest
from django.contrib.auth import get_user_model

from engine.cases.actions import task_complete
from engine.cases.consistency import find_mismatches
from engine.cases.selectors import task_inbox
from engine.directory import demo as directory_demo
from processes.incubation import demo
from processes.incubation.models import IncubationApplication, Status

from .conftest import open_route

pytestmark = pytest.mark.django_db


def test_portal_shows_status_in_chinese_and_return_reason(client, submitted, people, applicant):
    task_complete(actor=people["staff"], task_id=open_route(submitted, "intake").pk, decision="return",
                  reason="请补充理事会名单")
    client.force_login(applicant)
    html = client.get("/portal/incubation/").content.decode()
    assert submitted.reference in html and "已退回" in html and "请补充理事会名单" in html
    assert "补充后重新提交" in html
    r = client.post(f"/incubation/{submitted.reference}/submit/")
    assert r.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.INTAKE_CHECK
    html = client.get("/portal/incubation/").content.decode()
    assert "受理审查中" in html and "受理审查（" in html


def test_portal_actions_refuse_others(client, submitted, people):
    client.force_login(people["staff"])
    client.post(f"/incubation/{submitted.reference}/withdraw/")
    submitted.refresh_from_db()
    assert submitted.status == Status.INTAKE_CHECK


def test_apply_page_creates_and_submits(client, org, applicant, base):
    client.force_login(applicant)
    assert "申请入驻孵化基地" in client.get("/incubation/apply/").content.decode()
    r = client.post("/incubation/apply/", {"organization": org.pk, "base": base.pk, "plan": "助老",
                                           "documents": "章程.pdf\n计划书.pdf", "submit": "1"})
    assert r.status_code == 302
    case = IncubationApplication.objects.get(organization=org)
    assert case.status == Status.INTAKE_CHECK and case.documents == ["章程.pdf", "计划书.pdf"]


def test_demo_loads_applications_in_several_states_once():
    directory_demo.load()
    demo.load()
    demo.load()  # idempotent
    statuses = dict(IncubationApplication.objects.values_list("organization__name", "status"))
    assert statuses == {
        "郑州市金水区阳光志愿者协会": Status.RETURNED,
        "郑州市绿城青年志愿服务中心": Status.EXPERT_REVIEW,
        "二七区邻里互助志愿服务队": Status.INCUBATING,
        "郑州市惠济区银龄志愿服务队": Status.GRADUATED,
    }
    expert3 = get_user_model().objects.get(username="expert3")
    assert [r.node for r in task_inbox(expert3)] == ["score"]


def test_demo_cases_have_tasks_that_agree_with_their_status():
    directory_demo.load()
    demo.load()
    assert [m for m in find_mismatches() if m.reference.startswith("FH-")] == []


def test_apply_link_only_when_an_organization_has_no_open_application(client, draft, applicant):
    client.force_login(applicant)
    html = client.get("/portal/incubation/").content.decode()
    assert "申请入驻孵化基地" not in html and "草稿" in html
