"""Who sees what on the dashboard, its pages in both languages, its fixed query budget, the
old address, and the flows as BPMN 2.0 (issue #14)."""
import importlib
import re
import xml.etree.ElementTree as ET
from io import BytesIO

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from engine.dashboard import flows, snapshots
from engine.dashboard.models import DistrictPopulation
from engine.directory.models import Department, District
from tests.factories import OrganizationFactory, UserFactory, member, org_user

from . import known_data

pytestmark = pytest.mark.django_db

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


@pytest.fixture
def data():
    with time_machine.travel(known_data.NOW, tick=False):
        found = known_data.build()
        snapshots.refresh(known_data.YEAR)
        yield found


def test_a_department_head_sees_only_their_department(client, data):
    client.force_login(member("base-city", "head"))
    page = client.get("/workbench/dashboard/?year=2026").content.decode()
    erqi = Department.objects.get(code="mca-erqi").name
    assert data["base"].name in page
    assert erqi not in page  # another department's tasks
    assert data["fin"].name not in page  # nor its budget
    assert client.get(f"/workbench/dashboard/?year=2026&department={data['fin'].pk}").status_code == 200
    filtered = client.get(f"/workbench/dashboard/?year=2026&department={data['fin'].pk}").content.decode()
    assert "¥100,000.00" not in filtered  # a department outside the scope is not shown when asked for
    pdf = client.get("/workbench/dashboard/report.pdf?year=2026&month=6")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert client.get("/workbench/dashboard/report.pdf?year=2026&month=6&audience=city").status_code == 403


def test_a_district_department_sees_its_district(client, data):
    client.force_login(member("mca-erqi", "staff"))
    page = client.get("/workbench/dashboard/?year=2026").content.decode()
    table = page[page.index('data-table="goal_districts"'):]
    table = table[:table.index("</table>")]
    assert "二七区" in table and "金水区" not in table
    assert data["base"].name not in page


def test_a_city_leader_sees_everything(client, data):
    client.force_login(member(None, "leader"))
    page = client.get("/workbench/dashboard/?year=2026").content.decode()
    assert data["base"].name in page and data["fin"].name in page and "金水区" in page
    assert client.get("/workbench/dashboard/report.pdf?year=2026&month=6&audience=city").status_code == 200


def test_organizations_volunteers_and_experts_are_refused_the_staff_dashboard(client, data):
    for user in (data["manager"], UserFactory(), member(None, "expert")):
        client.force_login(user)
        for path in ("/workbench/dashboard/", "/workbench/dashboard/export.xlsx", "/workbench/dashboard/flows/",
                     "/workbench/dashboard/report.pdf?month=6"):
            assert client.get(path).status_code == 403, (user, path)


def test_an_organization_sees_its_own_figures_in_the_portal(client, data):
    client.force_login(data["manager"])
    portal = client.get("/portal/").content.decode()
    assert "/dashboard/organization/" in portal
    page = client.get("/dashboard/organization/?year=2026").content.decode()
    table = page[page.index('data-table="hours"'):]
    assert "<td>2026-06</td><td>124.00</td>" in table.replace("\n", "")  # 4 h signed in + 120 h entered
    assert data["fin"].name not in page and "二七区" not in page
    other = org_user(OrganizationFactory())
    client.force_login(other)
    page = client.get("/dashboard/organization/?year=2026").content.decode()
    assert "<td>2026-06</td><td>0</td>" in page.replace("\n", "")
    client.force_login(UserFactory())
    assert client.get("/dashboard/organization/").status_code == 403


def test_anonymous_visitors_see_the_city_aggregates_without_people(client, data):
    page = client.get("/dashboard/?year=2026").content.decode()
    assert "金水区" in page and "64.00%" in page
    assert 'data-table="tasks"' not in page and 'data-table="budgets"' not in page
    assert "志愿者202" not in page and "测试阳光" not in page  # no volunteer's or tender's people


def test_the_page_is_chinese_by_default_and_english_when_chosen(client, data):
    client.force_login(member(None, "leader"))
    page = client.get("/workbench/dashboard/?year=2026").content.decode()
    assert "2025 年目标" in page and "部门办理情况" in page and "各部门购买服务预算、占用与支付" in page
    client.cookies["django_language"] = "en"
    page = client.get("/workbench/dashboard/?year=2026", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Work in the departments" in page and "Purchased-service budget, committed and spent" in page
    assert "部门办理情况" not in page


def test_the_page_says_where_the_population_figures_come_from_and_an_administrator_corrects_them(client, data):
    """Issue #14: the population is a fixture the administrator updates, with its source year;
    the reference data's rounded figures are labelled as estimates, never as official numbers."""
    leader = member(None, "leader")
    client.force_login(leader)
    page = client.get("/workbench/dashboard/?year=2026").content.decode()
    rows = {r[0]: r for r in _rows(page, "goal_districts")}
    assert rows["金水区"][2:] == ["2026", "150", "3", "2.00%", "测试公报"]  # the data set's sourced figure
    assert rows["二七区"][2] == "2025" and rows["二七区"][-1].startswith("估计数：")
    assert "有 15 个区县的常住人口为估计数。" in page and "不是官方统计数据" in page
    assert "/admin/dashboard/districtpopulation/" not in page  # a leader is no administrator
    public = client.get("/dashboard/?year=2026").content.decode()
    assert "估计数：" in public and "/admin/" not in public
    # a district without any row falls back on its reference figure, an estimate without a year
    erqi = District.objects.get(code="erqi")
    DistrictPopulation.objects.filter(district=erqi).delete()
    page = client.get("/workbench/dashboard/?year=2026").content.decode()
    row = next(r for r in _rows(page, "goal_districts") if r[0] == "二七区")
    assert row[1] == f"{erqi.resident_population:,}" and row[2] == "" and row[-1] == "估计数：区县参考数字，无数据年份"
    # the administrator's correction: the bulletin's figure replaces the estimate on the page
    admin = member(None, "leader", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get("/workbench/dashboard/?year=2026").content.decode()
    assert 'href="/admin/dashboard/districtpopulation/"' in page
    assert client.get("/admin/dashboard/districtpopulation/").status_code == 200
    response = client.post("/admin/dashboard/districtpopulation/add/", {
        "district": erqi.pk, "year": 2026, "population": 123456, "source": "2026 年统计公报"})
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get("/workbench/dashboard/?year=2026").content.decode()
    row = next(r for r in _rows(page, "goal_districts") if r[0] == "二七区")
    assert row[1:4] == ["123,456", "2026", "18,518"] and row[-1] == "2026 年统计公报"
    assert "有 14 个区县的常住人口为估计数。" in page


def test_rows_loaded_before_the_estimate_flag_are_marked_as_estimates(data):
    migration = importlib.import_module("engine.dashboard.migrations.0002_population_estimate")
    DistrictPopulation.objects.update(is_estimate=False)
    migration.mark_reference_estimates(django_apps, None)
    assert DistrictPopulation.objects.filter(is_estimate=True).count() == 16
    assert not DistrictPopulation.objects.get(source="测试公报").is_estimate


def _rows(page: str, key: str) -> list[list[str]]:
    body = page[page.index(f'data-table="{key}"'):]
    body = body[body.index("<tbody>"):body.index("</table>")]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", tr, re.S)]
            for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_the_old_address_redirects(client, data):
    client.force_login(member(None, "leader"))
    response = client.get("/workbench/overview/dashboard/?year=2026")
    assert response.status_code == 302 and response["Location"] == "/workbench/dashboard/?year=2026"


def _count(client, path):
    """The page's queries with a cold cache (the header's unread count is cached
    for a minute) and then warm, as a running server serves it: both must not grow with the data."""
    cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries))
    return counts


def test_the_page_costs_a_fixed_number_of_queries(client, data):
    client.force_login(member(None, "leader"))
    path = "/workbench/dashboard/?year=2026"
    small = _count(client, path)
    public_small = _count(client, "/dashboard/?year=2026")
    with time_machine.travel(known_data.NOW, tick=False):
        known_data.more(20)  # more volunteers, tasks, budgets, contracts and applications
        snapshots.refresh(known_data.YEAR)
    assert _count(client, path) == small
    assert max(small) <= 25
    public = _count(client, "/dashboard/?year=2026")
    assert public == public_small and max(public) <= 20


def test_every_flow_exports_as_bpmn_with_every_node_and_edge(client):
    client.force_login(member(None, "leader"))
    found = flows.flows()
    assert {"certification.CertificateFlow", "procurement.TenderFlow", "incubation.IncubationFlow",
            "recruitment.RecruitmentFlow", "timebank.RedemptionFlow"} <= set(found)
    for key, flow_class in found.items():
        response = client.get(f"/workbench/dashboard/flows/{key}.bpmn")
        assert response.status_code == 200
        process = ET.fromstring(response.content).find(f"{BPMN}process")
        ids = {el.get("id") for el in process}
        for node in flow_class.instance.nodes():
            assert f"id_node_{node.name}" in ids, (key, node.name)
        flows_xml = {(el.get("sourceRef"), el.get("targetRef")) for el in process.iter(f"{BPMN}sequenceFlow")}
        for src, dst in flows.edges(flow_class):
            assert (f"id_node_{src}", f"id_node_{dst}") in flows_xml, (key, src, dst)
        svg = client.get(f"/workbench/dashboard/flows/{key}.svg")
        assert svg.status_code == 200 and b"<svg" in svg.content
    page = client.get("/workbench/dashboard/flows/").content.decode()
    assert page.count(".bpmn") == len(found)


def test_each_flow_is_named_by_its_process_in_the_readers_language(client):
    client.force_login(member(None, "leader"))
    page = client.get("/workbench/dashboard/flows/").content.decode()
    for title in ("孵化流程", "政府购买服务流程", "志愿服务证明流程", "异议流程", "时间银行兑换流程", "志愿者招募流程"):
        assert f"<h2>{title}</h2>" in page
    assert "<h2>Case</h2>" not in page
    client.cookies["django_language"] = "en"
    english = client.get("/workbench/dashboard/flows/").content.decode()
    assert "<h2>Time bank redemption process</h2>" in english and "<h2>Incubation process</h2>" in english


def test_each_chart_exports_on_its_own(client, data):
    client.force_login(member(None, "leader"))
    response = client.get("/workbench/dashboard/export.xlsx?year=2026&chart=budgets")
    assert response.status_code == 200 and "budgets" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    assert [s.title for s in book.worksheets] == ["各部门购买服务预算、占用与支付"]
    assert client.get("/workbench/dashboard/export.xlsx?chart=nothing").status_code == 404
    page = client.get("/workbench/dashboard/?year=2026").content.decode()
    assert "export.xlsx?year=2026&amp;chart=budgets" in page
