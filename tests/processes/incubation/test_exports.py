"""XLSX exports of the roster and the project library (I4, I6)."""
import io

import openpyxl
import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from processes.incubation import services
from tests.factories import OrganizationFactory, org_user

pytestmark = pytest.mark.django_db


def sheet(content):
    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_roster_and_project_library_export(submitted, flow, people, applicant):
    case = flow.incubate(submitted)
    services.milestone_record(actor=people["staff"], application=case, kind="project", title="=HYPERLINK(\"x\")",
                              happened_on=timezone.localdate(), evidence="项目书")
    api = APIClient()
    api.force_authenticate(people["staff"])
    r = api.get("/api/v1/incubation/exports/roster.xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet(r.content)
    assert rows[0][:5] == ["编号", "组织名称", "统一社会信用代码", "孵化基地", "状态"]
    assert rows[1][0] == case.reference and rows[1][4] == "孵化中"
    r = api.get("/api/v1/incubation/exports/projects.xlsx")
    rows = sheet(r.content)
    assert rows[0] == ["孵化编号", "组织名称", "孵化基地", "项目名称", "日期", "佐证材料", "优秀项目库"]
    assert rows[1][3] == "'=HYPERLINK(\"x\")" and rows[1][6] == "否"  # formula made inert


def test_export_scoped_and_refused_for_organizations(submitted, flow, people, applicant):
    flow.incubate(submitted)
    api = APIClient()
    api.force_authenticate(applicant)
    assert api.get("/api/v1/incubation/exports/roster.xlsx").status_code == 403
    api.force_authenticate(people["other_base"])
    rows = sheet(api.get("/api/v1/incubation/exports/roster.xlsx").content)
    assert len(rows) == 1  # headers only: another base's staff see none of base-city's roster


def test_exports_cost_the_same_queries_for_more_rows(people, base, flow, django_assert_max_num_queries):
    def incubate(n):
        org = OrganizationFactory(name=f"导出组织{n}")
        user = org_user(org, username=f"export_user{n}")
        case = services.application_create(actor=user, organization=org, base=base, plan="计划", documents=["a"])
        services.application_submit(actor=user, application=case)
        flow.accept(case)
        flow.score_all(case)
        flow.approve(case)
        flow.offer(case)
        case = services.agreement_accept(actor=user, application=case)
        services.milestone_record(actor=people["staff"], application=case, kind="project", title=f"项目{n}",
                                  happened_on=timezone.localdate(), evidence="项目书")

    api = APIClient()
    api.force_authenticate(people["staff"])
    incubate(0)
    counts = {}
    for url in ("/api/v1/incubation/exports/roster.xlsx", "/api/v1/incubation/exports/projects.xlsx"):
        with django_assert_max_num_queries(20) as few:
            api.get(url)
        counts[url] = len(few.captured_queries)
    for n in range(1, 5):
        incubate(n)
    for url, count in counts.items():
        with django_assert_max_num_queries(count):
            assert len(sheet(api.get(url).content)) == 6
