"""Faults with a real Celery worker on Redis and PostgreSQL: a worker killed with SIGKILL in the
middle of sending a notification's mail; after a new worker starts, the mail goes out exactly once
(late acknowledgement gives the message back, the outbox claim keeps it single)."""
import os
import signal
import time

import pytest
from django.db import connection

from engine.notifications.models import Notification
from engine.notifications.services import notify
from tests.factories import UserFactory

from .test_celery_worker import BROKER, _publishing_to, _redis_ready, _worker

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="真实 Celery worker 测试需要 PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def wait_for(predicate, seconds, log):
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, log.read_text()[-3000:] if log.exists() else "no worker log"
        time.sleep(0.3)


def test_a_worker_killed_mid_mail_sends_it_exactly_once_after_restart(settings, tmp_path):
    if not _redis_ready():
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"无法连接 Redis：{BROKER}")
        pytest.skip(f"无法连接 Redis：{BROKER}")
    mails = tmp_path / "mail"
    worker_env = {
        "EMAIL_BACKEND": "tests.example.mail.SlowFileBackend", "EMAIL_FILE_PATH": str(mails),
        "CELERY_VISIBILITY_TIMEOUT": "3",  # a dead worker's message comes back after 3 s
        "NOTIFICATION_MAIL_LEASE_SECONDS": "3",  # and the dead sender's claim runs out as soon
    }
    user = UserFactory(email="volunteer@example.cn")
    first_log, second_log = tmp_path / "worker1.log", tmp_path / "worker2.log"
    with _publishing_to(BROKER):
        with _worker(first_log, SLOW_MAIL_SECONDS="60", **worker_env) as worker:
            (note,) = notify([user], title="证明已出具")  # on commit: queued to the worker
            wait_for(lambda: any(mails.glob("started-*")), 60, first_log)
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()
        assert not list(mails.glob("sent-*"))
        note.refresh_from_db()
        assert note.emailed_at is None and note.email_claimed_at is not None
        time.sleep(4)  # past the visibility timeout: the new worker restores the message as it starts
        with _worker(second_log, SLOW_MAIL_SECONDS="0", **worker_env):
            wait_for(lambda: Notification.objects.get(pk=note.pk).emailed_at is not None, 90, second_log)
            time.sleep(3)  # a second delivery, if there were one, would land now
    assert "send_notification_emails" in second_log.read_text()  # the message came back to it
    sent = list(mails.glob("sent-*"))
    assert len(sent) == 1, second_log.read_text()[-3000:]
    assert sent[0].read_text() == f"<notification-{note.pk}@{settings.NOTIFICATION_MAIL_DOMAIN}>"
