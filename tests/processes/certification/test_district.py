"""The 2025 goal (DOMAIN "The 2025 goal"): registered volunteers count in the district they
live in (常住区县), hours in the district of the organization that recorded them."""
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from engine.dashboard import report, snapshots
from engine.dashboard.scope import Scope
from engine.directory.models import District
from processes.certification.dashboard import snapshots as certification_snapshots
from processes.certification.models import Volunteer
from processes.certification.services.registry import volunteer_register
from tests.factories import OrganizationFactory, UserFactory, org_user

from .conftest import approved, id_number, make_activity

pytestmark = pytest.mark.django_db


def test_volunteers_count_by_their_own_district_and_hours_by_the_recording_organization():
    jinshui, zhongyuan, erqi = (District.objects.get(code=c) for c in ("jinshui", "zhongyuan", "erqi"))
    org = OrganizationFactory(district=zhongyuan)
    manager = org_user(org)
    users = [UserFactory() for _ in range(4)]
    v1 = volunteer_register(actor=users[0], user=users[0], real_name="甲", id_number=id_number(71), district="jinshui")
    volunteer_register(actor=users[1], user=users[1], real_name="乙", id_number=id_number(72), district=jinshui)
    volunteer_register(actor=users[2], user=users[2], real_name="丙", id_number=id_number(73), district="erqi")
    volunteer_register(actor=users[3], user=users[3], real_name="丁", id_number=id_number(74))  # no district given
    volunteer_register(actor=manager, organization=org, real_name="戊", id_number=id_number(75), consent=True,
                       district="erqi")
    approved(manager, v1, make_activity(org, manager, hours=5), 4)
    figures = certification_snapshots(timezone.localdate().year)
    registered = {}
    for r in figures["volunteers"]:
        registered[r["district_id"]] = registered.get(r["district_id"], 0) + r["count"]
    # registered volunteers, with or without hours, where they live — not where they served
    assert registered == {jinshui.pk: 2, erqi.pk: 2}
    hours = {r["district_id"]: Decimal(r["hours"]) for r in figures["hours"]}
    assert hours == {zhongyuan.pk: Decimal("4.00")}


def test_dashboard_rows_show_volunteers_by_their_district():
    user = UserFactory()
    volunteer_register(actor=user, user=user, real_name="甲", id_number=id_number(76), district="jinshui")

    snapshots.refresh()
    chart = report.by_key(report.build(Scope(year=timezone.localdate().year)))["goal_districts"]
    rows = {r[0]: r for r in chart.rows}
    assert rows["金水区"][4] == 1 and rows["二七区"][4] == 0


def test_volunteer_chooses_the_district_when_registering_api_and_portal(client):
    user = UserFactory()
    c = APIClient()
    c.force_authenticate(user)
    res = c.post("/api/v1/certification/volunteers/", {"real_name": "甲", "id_number": id_number(77),
                                                       "district": "nowhere"}, format="json")
    assert res.status_code == 400 and "district" in res.data.get("fields", res.data)
    assert not Volunteer.objects.exists()
    res = c.post("/api/v1/certification/volunteers/", {"real_name": "甲", "id_number": id_number(77),
                                                       "district": "jinshui"}, format="json")
    assert res.status_code == 201 and res.data["district"] == "jinshui"
    other = UserFactory()
    client.force_login(other)
    page = client.get("/portal/certification/").content.decode()
    assert 'name="district"' in page and "常住区县" in page and "金水区" in page
    client.post("/certification/portal/register/", {"real_name": "乙", "id_number": id_number(78), "consent": "1",
                                                    "district": "erqi"})
    assert Volunteer.objects.get(user=other).district.code == "erqi"


def test_organization_enters_a_volunteer_with_a_district(org, manager):
    res = APIClient()
    res.force_authenticate(manager)
    out = res.post("/api/v1/certification/volunteers/", {
        "real_name": "丙", "id_number": id_number(79), "organization": org.pk, "consent": True,
        "district": "zhongyuan"}, format="json")
    assert out.status_code == 201 and out.data["district"] == "zhongyuan"
