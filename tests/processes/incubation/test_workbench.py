"""Workbench pages of the incubation process."""
import pytest
from django.utils import timezone

from engine.cases.actions import task_claim
from processes.incubation import services
from processes.incubation.models import Milestone
from tests.factories import OrganizationFactory, org_user

from .conftest import open_route

pytestmark = pytest.mark.django_db


def test_list_page_and_query_budget(client, people, base, django_assert_max_num_queries):
    def add(start, stop):
        for n in range(start, stop):
            org = OrganizationFactory()
            user = org_user(org, username=f"wb{n}")
            services.application_create(actor=user, organization=org, base=base, plan="x", documents=["a"])

    add(0, 2)
    client.force_login(people["staff"])
    with django_assert_max_num_queries(20) as few:
        client.get("/workbench/incubation/")
    add(2, 14)
    with django_assert_max_num_queries(len(few.captured_queries)):  # a full page costs what two rows cost
        r = client.get("/workbench/incubation/")
    html = r.content.decode()
    assert r.status_code == 200 and html.count("草稿") >= 14 and "导出孵化名册" in html
    assert "郑州市社会组织孵化基地" in html and "金水区社会组织孵化基地" not in html  # own base only
    client.force_login(people["other_base"])
    assert "暂无孵化申请" in client.get("/workbench/incubation/").content.decode()


def test_detail_page_records_milestone(client, submitted, flow, people):
    case = flow.incubate(submitted)
    client.force_login(people["staff"])
    url = f"/workbench/incubation/{case.reference}/"
    html = client.get(url).content.decode()
    assert "孵化中" in html and "专家评分" in html
    r = client.post(url, {"action": "milestone", "kind": "training", "title": "项目管理培训",
                          "happened_on": timezone.localdate().isoformat(), "evidence": "签到表"})
    assert r.status_code == 302
    assert Milestone.objects.filter(application=case, title="项目管理培训").exists()
    r = client.post(url, {"action": "milestone", "kind": "training", "title": "", "evidence": ""}, follow=True)
    assert "请补全里程碑信息" in r.content.decode()
    client.force_login(people["other_base"])
    assert client.get(url).status_code == 404


def test_engine_task_page_shows_the_application_summary(client, submitted, people):
    route = open_route(submitted, "intake")
    task_claim(actor=people["staff"], task_id=route.pk)
    client.force_login(people["staff"])
    html = client.get(f"/workbench/tasks/task/{route.pk}/").content.decode()
    assert "孵化需求与发展计划" in html and "退回补充材料" in html
