"""Text messages, through a pluggable backend named by the ``SMS_BACKEND`` setting (a dotted
path), as Django's mail backends are.

The interface a backend implements (a provider's gateway, say)::

    class Backend(BaseBackend):
        def send_messages(self, messages: list[TextMessage]) -> int:
            ...  # deliver each message; return how many were accepted; raise on failure

A backend that raises leaves the notifications unsent: the outbox sweep tries them again.
Two are provided: ``ConsoleBackend`` (the default: prints the messages) and ``LocmemBackend``
(tests: keeps them in ``engine.notifications.sms.outbox``).
"""
import sys
import threading
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

outbox: list["TextMessage"] = []  # LocmemBackend's messages, as django.core.mail.outbox


@dataclass(frozen=True)
class TextMessage:
    to: str  # a mobile number
    text: str
    key: str = ""  # a stable id a gateway may use to drop a duplicate


class BaseBackend:
    def __init__(self, **options):
        self.options = options

    def send_messages(self, messages: list[TextMessage]) -> int:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    _lock = threading.Lock()

    def send_messages(self, messages):
        stream = self.options.get("stream") or sys.stdout
        with self._lock:
            for message in messages:
                stream.write(f"SMS to {message.to} [{message.key}]: {message.text}\n")
            stream.flush()
        return len(messages)


class LocmemBackend(BaseBackend):
    def send_messages(self, messages):
        outbox.extend(messages)
        return len(messages)


def get_backend(**options) -> BaseBackend:
    return import_string(settings.SMS_BACKEND)(**options)


def send(message: TextMessage) -> int:
    return get_backend().send_messages([message])
