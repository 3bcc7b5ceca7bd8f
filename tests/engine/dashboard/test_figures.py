"""Each figure of the dashboard computed on a small known data set (``known_data``) and the
same numbers on the page, in the XLSX export and in the PDF report (issue #14)."""
import json
import math
import re
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.conf import settings
from openpyxl import load_workbook

from engine.dashboard import report, snapshots
from engine.dashboard.charts import display
from engine.dashboard.goal import target_for
from engine.dashboard.scope import Scope
from engine.directory.models import Department
from tests.factories import member

from . import known_data
from .pdftext import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    with time_machine.travel(known_data.NOW, tick=False):
        found = known_data.build()
        snapshots.refresh(known_data.YEAR)
        yield found


@pytest.fixture
def charts(data):
    return report.by_key(report.build(Scope(year=known_data.YEAR)))


def rows(chart):
    return {r[0]: r[1:] for r in chart.rows}


def expected_city_goal():
    with open(settings.BASE_DIR / "fixtures" / "district_populations.json", encoding="utf-8") as f:
        populations = {d["fields"]["district"][0]: d["fields"]["population"] for d in json.load(f)}
    populations["jinshui"] = 1000  # the 2026 row the data set adds replaces the 2025 one
    return sum(target_for(p) for p in populations.values())


def test_goal_by_district_uses_the_latest_population_and_counts_registered_volunteers(charts):
    by_district = rows(charts["goal_districts"])
    assert by_district["金水区"] == [1000, "2026", 150, 3, Decimal("2.00"), "测试公报"]
    assert by_district["二七区"][3] == 1 and by_district["二七区"][1] == "2025"
    # the reference data's figures are rounded estimates and say so
    assert by_district["二七区"][5] == "估计数：系统参考数据（约数），请以郑州市统计公报最新数字更新"
    assert by_district["中原区"][3] == 0
    city = charts["goal_city"].rows[0]
    assert city[1:] == [expected_city_goal(), 4, (Decimal(400) / expected_city_goal()).quantize(Decimal("0.01"))]


def test_monthly_progress_and_projection(charts):
    assert charts["goal_months"].rows == [
        ["2026-01", 0, expected_city_goal()], ["2026-02", 0, expected_city_goal()],
        ["2026-03", 1, expected_city_goal()], ["2026-04", 1, expected_city_goal()],
        ["2026-05", 1, expected_city_goal()], ["2026-06", 4, expected_city_goal()]]
    projection = charts["goal_city"].extra["projection"]
    assert projection.pace == Decimal("0.67")  # four registrations in six months
    assert projection.at_target_date is None  # 2025-12-31 has passed
    months = math.ceil((expected_city_goal() - 4) / Decimal("0.67"))
    assert projection.reach_month == f"{2026 + (5 + int(months)) // 12}-{(5 + int(months)) % 12 + 1:02d}"


def test_work_in_the_departments(charts, data):
    base = data["base"].name
    erqi = Department.objects.get(code="mca-erqi").name
    assert rows(charts["tasks"]) == {f"{base} · 经办人": [2, 1, 1, 1], f"{base} · 审核人": [2, 0, 0, 0],
                                     f"{erqi} · 经办人": [1, 0, 0, 0]}
    assert rows(charts["step_times"])[f"{base} · 准备材料"] == [14.0, 24.0, 2]  # 4 h and 24 h
    assert rows(charts["throughput"])["2026-05"] == [1] and rows(charts["throughput"])["2026-06"] == [1]
    review = [r for r in charts["state_times"].rows if r[0].endswith("· 审核中")]
    assert [r[1:] for r in review] == [[4.0, 6.0, 2]]  # stays of 2 h and 6 h


def test_money(charts, data):
    assert rows(charts["budgets"]) == {data["fin"].name: [Decimal("100000.00"), Decimal("30000.00"),
                                                          Decimal("20000.00"), Decimal("20.00")]}
    share = rows(charts["social_share"])
    assert share["社会组织"] == [Decimal("80000.00"), Decimal("64.00")]
    assert share["其他承接主体"] == [Decimal("45000.00"), Decimal("36.00")]
    assert rows(charts["bids"]) == {"0": [0], "1": [1], "2": [0], "3": [1], "4": [0], "5+": [0]}
    assert charts["bids"].extra["average"] == Decimal("2.00")
    assert rows(charts["savings"]) == {data["fin"].name: [Decimal("150000.00"), Decimal("125000.00"),
                                                          Decimal("25000.00"), Decimal("16.67")]}


def test_volunteers_and_organizations(charts, data):
    hours = rows(charts["hours"])
    assert hours["2026-06"] == [124.0] and hours["2026-05"] == [0]
    assert rows(charts["stars"])["无星级"] == [1] and rows(charts["stars"])["1 星"] == [1]
    certificates = rows(charts["certificates"])
    assert certificates["2026-03"] == [1] and certificates["2026-06"] == [2] and certificates["2026-04"] == [0]
    assert rows(charts["incubation"]) == {data["base"].name: [2, 1, 0]}


def _table(page: str, key: str) -> list[list[str]]:
    body = page[page.index(f'data-table="{key}"'):]
    body = body[:body.index("</table>")]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", tr, re.S)]
            for tr in re.findall(r"<tr>(.*?)</tr>", body[body.index("<tbody>"):], re.S)]


def test_page_export_and_pdf_show_the_same_numbers(client, data):
    leader = member(None, "leader")
    client.force_login(leader)
    with time_machine.travel(known_data.NOW, tick=False):
        page = client.get("/workbench/dashboard/?year=2026").content.decode()
        book = load_workbook(BytesIO(client.get("/workbench/dashboard/export.xlsx?year=2026").content))
        pdf = pdf_text(client.get("/workbench/dashboard/report.pdf?year=2026&month=6&audience=city").content)
    jinshui = next(r for r in _table(page, "goal_districts") if r[0] == "金水区")
    assert jinshui == ["金水区", "1,000", "2026", "150", "3", "2.00%", "测试公报"]
    sheet = book["各区县注册志愿者与常住人口 15% 目标"]
    found = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "金水区")
    assert list(found) == ["金水区", 1000, "2026", 150, 3, 2.0, "测试公报"]
    money = next(r for r in _table(page, "savings"))
    assert money[1:] == ["¥150,000.00", "¥125,000.00", "¥25,000.00", "16.67%"]
    assert list(next(book["较最高限价节约资金"].iter_rows(min_row=4, values_only=True)))[1:] == [150000, 125000, 25000, 16.67]
    assert "64.00%" in page and "64.00%" in pdf  # the share awarded to social organizations
    # the June report: the same figures for the month
    assert "¥150,000.00" in pdf and "¥25,000.00" in pdf and "16.67%" in pdf
    assert "金水区" in pdf and "2.00%" in pdf
    charts = json.loads(re.search(r'id="dashboard-charts" type="application/json">(.*?)</script>', page, re.S).group(1))
    goal = next(c for c in charts if c["key"] == "goal_districts")
    assert goal["categories"][goal["categories"].index("金水区")] == "金水区"
    assert [s["name"] for s in goal["series"]] == ["完成度"]  # drawn as progress; goal and count in the table
    assert goal["series"][0]["data"][goal["categories"].index("金水区")] == 2.0


def test_every_chart_has_the_same_rows_on_the_page_in_the_export_and_in_the_pdf(client, data):
    """Not a sample: every figure of the June page, row by row."""
    client.force_login(member(None, "leader"))
    query = "year=2026&month=6"
    with time_machine.travel(known_data.NOW, tick=False):
        page = client.get(f"/workbench/dashboard/?{query}").content.decode()
        book = load_workbook(BytesIO(client.get(f"/workbench/dashboard/export.xlsx?{query}").content))
        pdf = pdf_text(client.get(f"/workbench/dashboard/report.pdf?{query}&audience=city").content)
        charts = report.build(Scope(year=2026, month=6))
    sheets = {s["A1"].value: s for s in book.worksheets}
    assert len(sheets) == len(charts)
    for chart in charts:
        shown = [[display(v, c.kind) for v, c in zip(row, chart.columns, strict=True)] for row in chart.rows]
        if chart.key != "goal_city":  # the city total is the headline cards
            assert _table(page, chart.key) == (shown or [[]]), chart.key  # [[]]: the "no data" row
        exported = [list(r) for r in sheets[str(chart.title)].iter_rows(min_row=4, max_row=3 + len(chart.rows),
                                                                          values_only=True)]
        assert exported == [[None if v is None else (float(v) if isinstance(v, Decimal) else
                             (v if isinstance(v, (int, float)) else str(v))) for v in row] for row in chart.rows], chart.key
        flat = re.sub(r"\s", "", pdf)  # a long cell wraps over lines
        for cells in shown:
            for cell in cells:
                assert re.sub(r"\s", "", cell) in flat, (chart.key, cell)


def test_the_monthly_report_reads_in_english_when_chosen(client, data):
    """D7: the printable report follows the reader's language like the page; only names the
    users typed (districts, departments, organizations) stay Chinese."""
    client.force_login(member(None, "leader"))
    client.cookies["django_language"] = "en"
    with time_machine.travel(known_data.NOW, tick=False):
        pdf = pdf_text(client.get("/workbench/dashboard/report.pdf?year=2026&month=6&audience=city").content)
    assert "Generated at" in pdf and "64.00%" in pdf and "¥150,000.00" in pdf
    assert "生成于" not in pdf and "数据截至" not in pdf and "本期暂无数据" not in pdf
    client.cookies["django_language"] = "zh-hans"
    with time_machine.travel(known_data.NOW, tick=False):
        chinese = pdf_text(client.get("/workbench/dashboard/report.pdf?year=2026&month=6&audience=city").content)
    assert "生成于" in chinese and "Generated at" not in chinese
