"""The viewer's limits, the projection's arithmetic and the periodic refresh of the snapshots."""
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from engine.dashboard import tasks
from engine.dashboard.goal import project
from engine.dashboard.models import FigureSnapshot
from engine.dashboard.scope import NotAllowed, viewer_limits
from engine.directory.models import Department
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def test_a_city_body_sees_itself_and_the_departments_below_it_in_every_district():
    limits = viewer_limits(member("mca", "staff"))
    below = set(Department.objects.filter(parent__code="mca").values_list("pk", flat=True))
    assert below and limits["department_ids"] == below | {Department.objects.get(code="mca").pk}
    assert limits["district_ids"] is None


def test_a_district_department_sees_itself_and_its_district():
    erqi = Department.objects.get(code="mca-erqi")
    limits = viewer_limits(member("mca-erqi", "reviewer"))
    assert erqi.pk in limits["department_ids"] and limits["district_ids"] == {erqi.district_id}


def test_leaders_see_all_and_people_without_a_department_role_are_refused():
    assert viewer_limits(member(None, "leader")) == {"department_ids": None, "district_ids": None}
    for user in (UserFactory(), member(None, "expert")):
        with pytest.raises(NotAllowed):
            viewer_limits(user)


def test_the_projection_continues_the_year_s_pace_in_a_straight_line():
    ahead = project(100, 200, 60, 6, date(2026, 6, 1), date(2027, 6, 30))
    assert ahead.pace == Decimal("10.00") and ahead.reach_month == "2027-04" and not ahead.reached
    assert ahead.at_target_date == 220  # 12 more months at 10 a month
    assert project(250, 200, 60, 6, date(2026, 6, 1), date(2025, 12, 31)).reached
    stalled = project(100, 200, 0, 6, date(2026, 6, 1), date(2025, 12, 31))
    assert stalled.reach_month is None and stalled.at_target_date is None


def test_the_periodic_task_keeps_the_snapshots_and_the_page_says_how_fresh(client):
    client.force_login(member(None, "leader"))
    assert "尚未计算" in client.get("/workbench/dashboard/").content.decode()
    tasks.refresh_snapshots()
    keys = set(FigureSnapshot.objects.filter(year=timezone.localdate().year).values_list("key", flat=True))
    assert {"step_times", "throughput", "state_times", "volunteers", "hours", "stars", "disputes_ended"} <= keys
    page = client.get("/workbench/dashboard/").content.decode()
    assert "尚未计算" not in page and "数据截至" in page
