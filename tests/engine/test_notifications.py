import pytest
from django.core import mail
from rest_framework.test import APIClient

from engine.notifications.models import Notification
from engine.notifications.services import notify
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def test_notify_creates_inbox_rows_and_mails_only_after_commit(django_capture_on_commit_callbacks):
    with_mail, without = UserFactory(email="a@example.cn"), UserFactory(email="")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify([with_mail, without, with_mail], title="测试通知", body="正文", kind="test")
    assert Notification.objects.count() == 2
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["a@example.cn"]]
    assert "【志愿郑州】测试通知" == mail.outbox[0].subject
    for callback in callbacks:  # a retried task does not mail twice
        callback()
    assert len(mail.outbox) == 1


def test_inbox_api_and_page_mark_read(client):
    user = member("fin", "reviewer")
    notify([user], title="待办逾期", kind="task.overdue")
    api = APIClient()
    api.force_authenticate(user)
    items = api.get("/api/v1/notifications/?unread=1").json()["results"]
    assert [n["title"] for n in items] == ["待办逾期"]
    assert api.post("/api/v1/notifications/read/", {"ids": [items[0]["id"]]}, format="json").json() == {"marked": 1}
    assert api.get("/api/v1/notifications/?unread=1").json()["count"] == 0
    notify([user], title="第二条", kind="test")
    client.force_login(user)
    page = client.get("/workbench/tasks/notifications/").content.decode()
    assert "第二条" in page and "新" in page
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 1  # read when marked, not when shown


def test_workbench_is_closed_to_people_without_a_department(client):
    client.force_login(UserFactory())
    response = client.get("/workbench/tasks/notifications/")
    assert response.status_code == 403
    assert "您无权访问此页面" in response.content.decode()
