import json
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from engine.audit.models import AuditEvent
from engine.workdays import reference, services
from engine.workdays.calendar import add_working_days, is_provisional, is_working_day
from engine.workdays.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

# A made-up 2027 schedule: it differs from the provisional one by keeping 1-4 off, so the
# due time computed from 2026-12-28 moves. The real one will come from the State Council.
SCHEDULE_2027 = {
    "year": 2027,
    "holidays": [["2027-01-01", "元旦"], ["2027-01-04", "元旦"], ["2027-02-05", "春节"], ["2027-02-08", "春节"],
                 ["2027-02-09", "春节"], "2027-10-04"],
    "workdays": [["2027-02-07", "春节调休"], ["2027-02-20", "春节调休"]],
}


@pytest.fixture
def sla_calls(monkeypatch):
    """Stands in for engine.cases.sla's recompute (another app's) and records its calls."""
    calls = []
    monkeypatch.setattr(services, "recompute_provisional_due_times", lambda year: calls.append(year) or 7)
    return calls


def write(tmp_path, data, name="2027.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_seeded_years():
    years = dict(CalendarYear.objects.values_list("year", "status"))
    assert all(years[y] == "official" for y in range(2004, 2027))
    assert years[2027] == "provisional"
    assert not is_provisional(date(2004, 1, 1)) and is_provisional(date(2027, 1, 1))


def test_reference_load_is_idempotent():
    events = AuditEvent.objects.count()
    summary = reference.load()
    assert summary["loaded"] == [] and summary["provisional"] == []
    assert len(summary["unchanged"]) == 23
    assert AuditEvent.objects.count() == events


def test_seeding_a_fresh_install_is_not_audited_but_a_load_command_is(capsys):
    assert not AuditEvent.objects.filter(action="calendar.load").exists()  # setup_demo seeded this database
    CalendarDay.objects.filter(date__year=2025).delete()
    CalendarYear.objects.filter(year=2025).delete()
    call_command("load_calendar")
    assert "已载入正式安排：2025" in capsys.readouterr().out
    event = AuditEvent.objects.get(action="calendar.load")
    assert event.object_id == "2025" and event.before == {"status": None, "days": 0}


def test_file_makes_2027_official_and_moves_the_due_time(tmp_path, shanghai, sla_calls,
                                                         django_capture_on_commit_callbacks):
    start = datetime(2026, 12, 28, 10, tzinfo=shanghai)
    assert add_working_days(start, 5) == (datetime(2027, 1, 5, 18, tzinfo=shanghai), True)
    CalendarDay.objects.create(date=date(2027, 3, 1), kind="holiday", name="本地更正")  # manual

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_calendar", "--file", write(tmp_path, SCHEDULE_2027), verbosity=0)

    assert add_working_days(start, 5) == (datetime(2027, 1, 6, 18, tzinfo=shanghai), False)
    assert not is_provisional(date(2027, 6, 1))
    assert is_working_day(date(2027, 2, 7)) and not is_working_day(date(2027, 2, 9))
    assert is_working_day(date(2027, 6, 9))  # the provisional 端午 row is gone with the others
    assert CalendarYear.objects.get(year=2027).status == "official"
    assert not CalendarDay.objects.filter(date__year=2027, source="provisional").exists()
    assert CalendarDay.objects.get(date=date(2027, 3, 1)).source == "manual"
    assert sla_calls == [2027]
    event = AuditEvent.objects.filter(action="calendar.load", object_id="2027").latest("seq")
    assert event.object_type == "workdays.calendaryear"
    assert event.before["status"] == "provisional"
    assert event.after == {"status": "official", "holidays": 6, "workdays": 2, "manual_kept": 1,
                           "origin": "文件 2027.json"}


def test_recompute_runs_after_commit_only(tmp_path, sla_calls, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.load_year_schedule(2027, [("2027-01-01", "元旦")], [])
    assert sla_calls == []
    for callback in callbacks:
        callback()
    assert sla_calls == [2027]


@pytest.mark.parametrize("data, message", [
    ({**SCHEDULE_2027, "holidays": [["2028-01-01", "元旦"]]}, "不在 2027 年内"),
    ({**SCHEDULE_2027, "workdays": [["2027-02-08", "调休"]]}, "重复出现"),
    ({**SCHEDULE_2027, "workdays": [["2027-02-10", "调休"]]}, "不能作为调休上班日"),
    ({**SCHEDULE_2027, "holidays": [["2027-13-01", "元旦"]]}, "YYYY-MM-DD"),
    ({"holidays": []}, "year"),
])
def test_bad_file_changes_nothing(tmp_path, data, message):
    rows = list(CalendarDay.objects.filter(date__year=2027).values_list("date", "source"))
    with pytest.raises(CommandError, match=message):
        call_command("load_calendar", "--file", write(tmp_path, data), verbosity=0)
    assert list(CalendarDay.objects.filter(date__year=2027).values_list("date", "source")) == rows
    assert CalendarYear.objects.get(year=2027).status == "provisional"


def test_not_json_and_year_mismatch(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{year: 2027", encoding="utf-8")
    with pytest.raises(CommandError, match="不是有效的 JSON"):
        call_command("load_calendar", "--file", str(path), verbosity=0)
    with pytest.raises(CommandError, match="不一致"):
        call_command("load_calendar", "--file", write(tmp_path, SCHEDULE_2027), "--year", "2028", verbosity=0)


def test_year_option_uses_the_library(capsys):
    call_command("load_calendar", "--year", "2026")
    assert "无变化：2026" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--file"):
        call_command("load_calendar", "--year", "2027")


def test_provisional_never_overwrites_official():
    with pytest.raises(ValueError, match="已载入正式安排"):
        services.load_year_schedule(2026, [], [], "provisional")


def test_library_reload_repairs_drift_and_keeps_corrections():
    CalendarDay.objects.filter(date=date(2026, 10, 5)).delete()
    CalendarDay.objects.filter(date=date(2026, 10, 6)).update(source="manual", kind="workday", name="本地更正")
    summary = services.load_official_years([2026])
    assert summary["loaded"] == [2026]
    assert CalendarDay.objects.get(date=date(2026, 10, 5)).source == "official"
    assert CalendarDay.objects.get(date=date(2026, 10, 6)).source == "manual"
    assert is_working_day(date(2026, 10, 6)) and not is_working_day(date(2026, 10, 5))
    assert services.load_official_years([2026])["loaded"] == []
