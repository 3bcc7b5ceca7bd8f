"""The volunteer is reminded once before the appeal window of a refused dispute closes."""
from datetime import timedelta

import pytest
import time_machine

from engine.cases.actions import task_complete
from engine.cases.models import TaskRoute
from engine.notifications.models import Notification
from engine.notifications.reminders import sweep
from engine.notifications.tasks import send_reminders
from processes.certification.services.disputes import dispute_file

pytestmark = pytest.mark.django_db


def test_appeal_window_reminder_once(approved_record, vol_user, manager, django_capture_on_commit_callbacks):
    dispute = dispute_file(actor=vol_user, record=approved_record, claim="应为8小时", claimed_hours=8)
    route = TaskRoute.objects.get(reference=dispute.reference, state__in=["open", "claimed"])
    task_complete(actor=manager, task_id=route.pk, decision="refuse", reason="签到记录为6.5小时")
    dispute.refresh_from_db()
    assert sweep() == 0  # two weeks ahead: not yet
    with time_machine.travel(dispute.appeal_until - timedelta(hours=30), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep() == 1
            assert sweep() == 0
            assert send_reminders() == 0
    (note,) = Notification.objects.filter(kind="reminder.appeal")
    assert note.user == vol_user and note.reference == dispute.reference
    assert note.title == f"{dispute.reference} 的申诉期即将结束" and note.link == "/portal/certification/#cert-volunteer"
    with time_machine.travel(dispute.appeal_until + timedelta(minutes=1), tick=False):
        assert sweep() == 0  # past the deadline: nothing more
