import pytest

from engine.directory.models import District
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
