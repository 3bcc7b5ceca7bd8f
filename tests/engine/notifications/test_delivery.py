"""Delivery: mail through a real SMTP server on loopback, text messages through the locmem
backend, each on the channels the recipient chose, in the recipient's language, at most once."""
import socket
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core import mail
from django.utils import timezone
from django.utils.translation import gettext_lazy

from engine.notifications import sms, texts
from engine.notifications.models import Notification, Preferences
from engine.notifications.services import Text, notify, preferences_save
from engine.notifications.tasks import mail_outbox
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


class Collect:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    yield handler
    controller.stop()


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_mail_goes_through_smtp_once_after_commit(smtp_server, django_capture_on_commit_callbacks):
    user = UserFactory(email="v@example.cn")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (note,) = notify([user], title="证明已出具", body="请到门户下载", kind="certification.issued")
    assert smtp_server.messages == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert mail_outbox() == 0  # the sweep finds it sent
    for callback in callbacks:  # a redelivered task
        callback()
    assert len(smtp_server.messages) == 1
    rcpt, message = smtp_server.messages[0]
    assert rcpt == ["v@example.cn"]
    assert subject(message) == "【志愿郑州】证明已出具"
    assert message["Message-ID"] == f"<notification-{note.pk}@zhiyuan.localhost>"
    assert "请到门户下载" in message.get_payload(decode=True).decode()


def test_text_messages_for_reminders_by_default_and_once(django_capture_on_commit_callbacks):
    user = UserFactory(email="v@example.cn", phone="13800000001")
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], title="投标即将截止", kind="reminder.bidding")
        notify([user], title="项目已取消", kind="procurement")  # default: mail only
    assert [(m.to, m.text) for m in sms.outbox] == [("13800000001", "【志愿郑州】投标即将截止")]
    assert len(mail.outbox) == 2
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        mail_outbox()
    assert len(sms.outbox) == 1
    assert Notification.objects.get(kind="reminder.bidding").sms_sent_at is not None


def test_a_failed_text_message_is_sent_by_the_sweep(settings, django_capture_on_commit_callbacks):
    user = UserFactory(phone="13800000002")
    settings.SMS_BACKEND = "tests.engine.notifications.test_delivery.FailingBackend"
    with django_capture_on_commit_callbacks(execute=False):
        (note,) = notify([user], title="申诉期即将结束", kind="reminder.appeal")
    with pytest.raises(OSError):
        texts.deliver([note.pk])
    note.refresh_from_db()
    assert note.sms_sent_at is None and note.sms_claimed_at is None  # released for the next try
    settings.SMS_BACKEND = "engine.notifications.sms.LocmemBackend"
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        mail_outbox()
    assert [m.key for m in sms.outbox] == [f"notification-{note.pk}"]


class FailingBackend(sms.BaseBackend):
    def send_messages(self, messages):
        raise OSError("gateway down")


def test_preferences_choose_the_channels(django_capture_on_commit_callbacks):
    user = UserFactory(email="v@example.cn", phone="13800000003")
    preferences_save(user=user, channels={"procurement": {"sms"}, "reminder": set()})
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], title="项目已取消", kind="procurement")
        notify([user], title="投标即将截止", kind="reminder.bidding")
        notify([user], title="待办逾期", kind="task.overdue")  # not chosen: the defaults
    assert [m.text for m in sms.outbox] == ["【志愿郑州】项目已取消"]
    assert [m.subject for m in mail.outbox] == ["【志愿郑州】待办逾期"]
    assert Notification.objects.filter(user=user).count() == 3  # all of them in the inbox


def test_no_address_no_channel(django_capture_on_commit_callbacks):
    user = UserFactory(email="", phone="")
    with django_capture_on_commit_callbacks(execute=True):
        (note,) = notify([user], title="投标即将截止", kind="reminder.bidding")
    assert not note.by_email and not note.by_sms and mail.outbox == [] and sms.outbox == []


def test_unknown_preferences_are_refused_and_change_nothing():
    user = UserFactory()
    preferences_save(user=user, channels={"procurement": {"sms"}})
    with pytest.raises(ValueError):
        preferences_save(user=user, channels={"procurement": set(), "lottery": {"email"}})
    with pytest.raises(ValueError):
        preferences_save(user=user, channels={"procurement": {"pigeon"}})
    assert Preferences.objects.get(user=user).channels == {"procurement": ["sms"]}


def test_each_recipient_reads_in_their_own_language(client, django_capture_on_commit_callbacks):
    english, chinese = UserFactory(email="en@example.cn"), UserFactory(email="zh@example.cn")
    client.force_login(english)
    client.post("/i18n/setlang/", {"language": "en", "next": "/portal/"})
    assert Preferences.objects.get(user=english).language == "en"
    with django_capture_on_commit_callbacks(execute=True):
        notes = notify([english, chinese], kind="digest.daily",
                       title=Text(gettext_lazy("Your tasks on %(date)s"), date="2026-12-02"))
    assert {n.user_id: n.title for n in notes} == {english.pk: "Your tasks on 2026-12-02",
                                                   chinese.pk: "2026-12-02 的待办"}
    assert {m.to[0]: m.subject for m in mail.outbox} == {
        "en@example.cn": "[Zhiyuan Zhengzhou] Your tasks on 2026-12-02", "zh@example.cn": "【志愿郑州】2026-12-02 的待办"}


def test_the_switch_records_nothing_for_anonymous_visitors(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and not Preferences.objects.exists()
