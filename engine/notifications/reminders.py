"""Reminders to organizations and volunteers before their own deadlines, each sent at most once.

Each process that has such deadlines says which in its ``reminders`` module: a function
``deadlines(now, lead)`` yielding a ``Deadline`` for each one that falls within its lead time
(``lead(kind)``, from the setting ``NOTIFICATION_REMINDER_LEAD_HOURS``). The sweep sends one
reminder per recipient and deadline and records it in ``SentReminder``, whose unique key keeps
it from going out twice however often, and on however many workers, the sweep runs."""
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import import_module, util

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from engine.processes import process_configs

from . import services  # as a module: services imports the tasks, which import this one
from .models import SentReminder

log = logging.getLogger(__name__)


@dataclass
class Deadline:
    kind: str  # "reminder.<what>", a key of NOTIFICATION_REMINDER_LEAD_HOURS
    obj: object  # the model instance the deadline belongs to
    deadline: datetime
    recipients: list
    title: object  # a Text (rendered in each recipient's language)
    body: object = ""
    link: str = ""
    reference: str = ""
    object_type: str = field(init=False)

    def __post_init__(self):
        self.object_type = self.obj._meta.label_lower


def lead(kind: str) -> timedelta:
    return timedelta(hours=settings.NOTIFICATION_REMINDER_LEAD_HOURS[kind])


def send_once(*, recipient, kind: str, object_type: str, object_id: int, deadline: datetime, **message) -> bool:
    """Notify ``recipient`` unless this (kind, object, deadline) was already sent to them. The
    record and the notification commit together; a concurrent sender waits on the unique key
    and then finds it taken."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(recipient=recipient, kind=kind, object_type=object_type,
                                        object_id=object_id, deadline=deadline)
            services.notify([recipient], kind=kind, **message)
    except IntegrityError:
        return False
    return True


def _sources():
    for config in process_configs():
        name = f"{config.name}.reminders"
        if util.find_spec(name) is not None:
            yield import_module(name).deadlines


def due(now) -> list[Deadline]:
    return [d for source in _sources() for d in source(now, lead) if now < d.deadline <= now + lead(d.kind)]


def sweep(now=None) -> int:
    """Send the reminders now due; returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    for item in due(now):
        already = set(SentReminder.objects.filter(
            kind=item.kind, object_type=item.object_type, object_id=item.obj.pk, deadline=item.deadline,
        ).values_list("recipient_id", flat=True))
        for user in {u.pk: u for u in item.recipients if u.pk not in already}.values():
            sent += send_once(recipient=user, kind=item.kind, object_type=item.object_type, object_id=item.obj.pk,
                              deadline=item.deadline, title=item.title, body=item.body, link=item.link,
                              reference=item.reference)
    if sent:
        log.info("reminders sent: %s", sent)
    return sent
