"""At most once on PostgreSQL with real concurrency: two sweeps at once send one text message,
and two reminder sweeps at once send one reminder."""
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from engine.notifications import outbox, sms, texts
from engine.notifications.models import Notification, SentReminder
from engine.notifications.reminders import send_once
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def at_once(func, n=4):
    barrier, results = threading.Barrier(n), []

    def worker():
        try:
            barrier.wait()
            results.append(func())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_sweeps_at_once_send_a_text_message_once(settings):
    sms.outbox.clear()
    user = UserFactory(phone="13800000005")
    # left in the outbox, as when the broker was down at the commit
    note = Notification.objects.create(user=user, title="投标即将截止", kind="reminder.bidding", by_sms=True)
    Notification.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(minutes=5))

    def sweep():
        try:
            return texts.deliver(texts.due_ids())
        except outbox.Busy as busy:
            return busy.args[0]

    assert sorted(at_once(sweep)) == [0, 0, 0, 1]
    assert [m.key for m in sms.outbox] == [f"notification-{note.pk}"]
    assert Notification.objects.get(pk=note.pk).sms_sent_at is not None
    sms.outbox.clear()


def test_two_reminder_sweeps_at_once_send_one_reminder():
    user, deadline = UserFactory(), timezone.now() + timedelta(days=1)

    def send():
        return send_once(recipient=user, kind="reminder.appeal", object_type="directory.user",
                         object_id=user.pk, deadline=deadline, title="申诉期即将结束")

    assert sorted(at_once(send)) == [False, False, False, True]
    assert SentReminder.objects.count() == 1 and Notification.objects.filter(user=user).count() == 1
