from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from viewflow.workflow.models import Task

from engine.cases.models import TaskRoute
from engine.directory.models import Department
from tests.example.models import ExampleCase
from tests.example.services import example_create

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_check_cases_lists_a_case_whose_status_disagrees(base_people, example_case, capsys):
    call_command("check_cases")
    # someone changed the status behind the service's back
    ExampleCase.objects.filter(pk=example_case.pk).update(status="approved")
    with pytest.raises(CommandError):
        call_command("check_cases")
    assert example_case.reference in capsys.readouterr().out


def test_due_time_in_2027_is_provisional_and_recomputed_when_the_schedule_loads(
    base_people, tmp_path, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime(2026, 12, 29, 10, tzinfo=SH)):
        case = example_create(actor=base_people["head"], department=Department.objects.get(code="base-city"),
                              subject="跨年")
    route = TaskRoute.objects.get(reference=case.reference)
    assert route.due_provisional is True
    before = route.due_at
    # A 2027 schedule in which 2027-01-04 (Monday) is a day off moves the due time one day.
    schedule = tmp_path / "2027.json"
    schedule.write_text(
        '{"year": 2027, "holidays": [["2027-01-01", "元旦"], ["2027-01-04", "测试调整"]], "workdays": []}',
        encoding="utf-8",
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_calendar", "--file", str(schedule))
    route.refresh_from_db()
    assert route.due_provisional is False
    assert route.due_at > before


def test_check_cases_lists_a_live_case_left_without_any_task(base_people, example_case, capsys):
    # its only task was closed behind the services' back; the case still says "draft"
    TaskRoute.objects.filter(reference=example_case.reference).update(state="cancelled")
    Task.objects.filter(process_id=example_case.flow_process_id, flow_task_type="HUMAN").update(status="CANCELED")
    with pytest.raises(CommandError):
        call_command("check_cases")
    assert "没有待办或待执行的系统环节" in capsys.readouterr().out
