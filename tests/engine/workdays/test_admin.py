from datetime import date

import pytest

from engine.audit.models import AuditEvent
from engine.cases.errors import NotAllowed, RuleViolation
from engine.workdays.calendar import is_working_day
from engine.workdays.models import CalendarDay
from engine.workdays.services import calendar_day_correct, calendar_day_remove
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_adds_a_day_off(admin_client):
    day = date(2026, 12, 1)
    assert is_working_day(day)  # snapshot now cached
    response = admin_client.post("/admin/workdays/calendarday/add/",
                                 {"date": "2026-12-01", "kind": "holiday", "name": "临时停工"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not is_working_day(day)
    row = CalendarDay.objects.get(date=day)
    assert row.source == "manual"
    event = AuditEvent.objects.filter(action="calendar.correct").latest("seq")
    assert event.after["kind"] == "holiday" and event.before == {}


def test_admin_corrects_an_official_day(admin_client):
    row = CalendarDay.objects.get(date=date(2026, 10, 7))
    assert not is_working_day(row.date)
    response = admin_client.post(f"/admin/workdays/calendarday/{row.pk}/change/",
                                 {"date": "2026-10-07", "kind": "workday", "name": "更正"})
    assert response.status_code == 302
    assert is_working_day(row.date)
    row.refresh_from_db()
    assert row.source == "manual"
    assert admin_client.get(f"/admin/workdays/calendarday/{row.pk}/delete/").status_code == 200


def test_loaded_rows_cannot_be_deleted_and_years_are_read_only(admin_client):
    row = CalendarDay.objects.get(date=date(2026, 10, 1))
    assert admin_client.get(f"/admin/workdays/calendarday/{row.pk}/delete/").status_code == 403
    assert admin_client.get("/admin/workdays/calendaryear/").status_code == 200
    assert admin_client.get("/admin/workdays/calendaryear/add/").status_code == 403
    assert admin_client.get("/admin/workdays/calendarday/?date__year=2026").status_code == 200


def test_calendar_corrections_go_through_the_audited_service_and_refusals_change_nothing():
    day = date(2026, 12, 3)
    clerk = UserFactory(is_staff=True)  # no calendar permission
    with pytest.raises(NotAllowed):
        calendar_day_correct(actor=clerk, day=CalendarDay(date=day, kind="holiday", name="x"))
    assert is_working_day(day) and not CalendarDay.objects.filter(date=day).exists()
    loaded = CalendarDay.objects.get(date=date(2026, 10, 1))
    root = UserFactory(is_superuser=True)
    with pytest.raises(RuleViolation):  # a loaded row would come back at the next load
        calendar_day_remove(actor=root, day=loaded)
    assert CalendarDay.objects.filter(pk=loaded.pk).exists()
    assert not AuditEvent.objects.filter(action="calendar.correct").exists()
    calendar_day_correct(actor=root, day=CalendarDay(date=day, kind="holiday", name="临时停工"))
    assert not is_working_day(day)
    assert AuditEvent.objects.get(action="calendar.correct").actor == root
