"""The staff digest: open, due-soon and overdue tasks of the inbox and the queues, once a day
however often the sweep runs."""
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from engine.cases.models import TaskRoute
from engine.directory.models import Department
from engine.notifications.digest import sweep
from engine.notifications.models import Notification, SentReminder
from engine.notifications.tasks import send_staff_digest
from tests.example.services import example_create
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue():
    staff = member("base-city", "staff", username="d_staff", email="staff@example.cn")
    idle = member("mca-erqi", "staff", username="d_idle", email="idle@example.cn")
    department = Department.objects.get(code="base-city")
    cases = [example_create(actor=staff, department=department, subject=f"事项{i}") for i in range(3)]
    routes = TaskRoute.objects.filter(reference__in=[c.reference for c in cases]).order_by("pk")
    now = timezone.now()
    TaskRoute.objects.filter(pk=routes[0].pk).update(due_at=now - timedelta(hours=1))  # overdue
    TaskRoute.objects.filter(pk=routes[1].pk).update(due_at=now + timedelta(hours=5))  # due soon
    TaskRoute.objects.filter(pk=routes[2].pk).update(due_at=now + timedelta(days=9))
    return staff, idle


def test_digest_once_a_day_to_those_with_open_work(queue, django_capture_on_commit_callbacks):
    staff, idle = queue
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep() == 1
        assert sweep() == 0
        assert send_staff_digest() == 0
    (note,) = Notification.objects.filter(kind="digest.daily")
    assert note.user == staff and note.link == "/workbench/tasks/inbox/"
    assert "我的部门队列：3 件待办，1 件即将到期，1 件已逾期。" in note.body
    assert "我的待办：0 件待办" in note.body
    assert [m.to for m in mail.outbox] == [["staff@example.cn"]]
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert sweep() == 1  # the next day's
    assert SentReminder.objects.filter(recipient=staff).count() == 2
    assert not Notification.objects.filter(user=idle).exists()
