"""D2: overdue flag, head notified, escalation to the parent — each exactly once."""
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from engine.audit.models import AuditEvent
from engine.cases.models import TaskRoute
from engine.cases.sla import sweep
from engine.cases.tasks import sla_sweep
from engine.directory.models import Department
from engine.notifications.models import Notification
from tests.example.services import example_create
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def district_case(db):
    author = member("mca-jinshui", "head", username="js_head", email="head@example.cn")
    member("mca", "head", username="city_head", email="cityhead@example.cn")
    case = example_create(
        actor=author, department=Department.objects.get(code="mca-jinshui"), subject="逾期测试"
    )
    return case, TaskRoute.objects.get(reference=case.reference)


def test_overdue_flag_notification_and_escalation_happen_once(district_case, django_capture_on_commit_callbacks):
    case, route = district_case
    assert sweep() == {"overdue": 0, "escalated": 0}
    with time_machine.travel(route.due_at + timedelta(hours=1)):
        for _ in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                sla_sweep.delay()
        route.refresh_from_db()
        assert route.overdue_at is not None and route.department.code == "mca-jinshui"
        assert Notification.objects.filter(kind="task.overdue", user__username="js_head").count() == 1
        assert Notification.objects.filter(kind="task.overdue").count() == 1
        assert Notification.objects.get(kind="task.overdue").link == f"/workbench/tasks/task/{route.pk}/"
    with time_machine.travel(route.escalate_after + timedelta(hours=1)):
        for _ in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                sweep()
        route.refresh_from_db()
        assert route.department.code == "mca" and route.escalated_from.code == "mca-jinshui"
        assert route.state == "open" and route.escalation_level == 1
        assert Notification.objects.filter(kind="task.escalated", user__username="city_head").count() == 1
    assert AuditEvent.objects.filter(reference=case.reference, action="task.overdue").count() == 1
    assert AuditEvent.objects.filter(reference=case.reference, action="task.escalate").count() == 1
    assert len([m for m in mail.outbox if "逾期" in m.subject]) == 2


def test_escalation_waits_the_further_period(district_case, settings):
    _, route = district_case
    with time_machine.travel(route.due_at + timedelta(minutes=5)):
        sweep()
        route.refresh_from_db()
        assert route.escalate_after > timezone.now()
        assert sweep()["escalated"] == 0
