"""Notification mail from the outbox: sent once, kept when the broker is down, sent again only
after a dead sender's lease, always with the same Message-ID."""
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from engine.notifications import mail as outbox
from engine.notifications.models import Notification
from engine.notifications.services import notify
from engine.notifications.tasks import mail_outbox, send_notification_emails
from engine.periodic import exclusive
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_broker_down_at_commit_loses_no_mail(django_capture_on_commit_callbacks):
    user = UserFactory(email="v@example.cn")
    with mock.patch.object(send_notification_emails, "delay", side_effect=ConnectionError("broker down")):
        with django_capture_on_commit_callbacks(execute=True):
            notify([user], title="证明已出具")  # the page would still answer: nothing raised
    assert mail.outbox == []
    assert outbox.due_ids() == []  # not yet: the on-commit delivery may still be under way
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert mail_outbox() == 1
        assert mail_outbox() == 0
    assert [m.to for m in mail.outbox] == [["v@example.cn"]]
    assert Notification.objects.get().emailed_at is not None


def test_a_claimed_mail_is_not_sent_twice_until_its_lease_expires():
    user = UserFactory(email="v@example.cn")
    (note,) = notify([user], title="待办逾期")
    Notification.objects.filter(pk=note.pk).update(email_claimed_at=timezone.now())  # a sender at work
    with pytest.raises(outbox.Busy):
        outbox.deliver([note.pk])
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):  # that sender died
        assert outbox.deliver([note.pk]) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == outbox.message_id(note)


def test_a_failed_send_releases_the_claim_for_the_next_try():
    user = UserFactory(email="v@example.cn")
    (note,) = notify([user], title="待办逾期")
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("smtp down")):
        with pytest.raises(OSError):
            outbox.deliver([note.pk])
    note.refresh_from_db()
    assert note.email_claimed_at is None and note.emailed_at is None
    assert outbox.deliver([note.pk]) == 1


def test_a_periodic_task_runs_once_at_a_time():
    runs = []

    @exclusive("test-lease")
    def job():
        runs.append("outer")
        assert job() is None  # a second start while the first runs does nothing
        return "done"

    assert job() == "done" and runs == ["outer"]
    assert job() == "done"  # the lease is released afterwards
