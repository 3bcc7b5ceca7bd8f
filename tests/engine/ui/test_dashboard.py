from decimal import Decimal

import pytest

from engine.directory.models import Department, District
from processes.procurement.models import BudgetLine, CatalogueItem
from tests.factories import OrganizationFactory, member

pytestmark = pytest.mark.django_db


def test_dashboard_shows_districts_target_and_department_load(client):
    jinshui = District.objects.get(code="jinshui")
    OrganizationFactory(district=jinshui)
    client.force_login(member("civ", "head"))
    page = client.get("/workbench/overview/dashboard/").content.decode()
    assert "注册志愿者占常住人口 15% 目标" in page
    assert "金水区" in page and f"{int(jinshui.resident_population * 0.15):,}" in page
    assert "各部门待办与逾期" in page


def test_dashboard_shows_spending_against_budget(client):
    fin = Department.objects.get(code="fin")
    item = CatalogueItem.objects.create(code="T-01", name="测试服务", category="社区服务", service_standard="按标准",
                                       unit="项", year=2026, published=True)
    BudgetLine.objects.create(department=fin, year=2026, item=item, amount=Decimal("100000.00"),
                              committed=Decimal("30000.00"), spent=Decimal("20000.00"))
    client.force_login(member("fin", "head"))
    page = client.get("/workbench/overview/dashboard/").content.decode()
    page = page[page.index("政府购买服务支出与预算"):]
    assert "郑州市财政局" in page and "¥100,000.00" in page and "¥20,000.00" in page  # money with separators (D7)

