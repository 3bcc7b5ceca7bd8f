"""Mail and text messages for notifications, delivered from the database (an outbox), so none
is lost when the broker is down or a worker dies, and none is sent twice on purpose.

A notification is claimed on one channel for a lease before it is sent and marked sent
afterwards (``email_claimed_at``/``emailed_at``, ``sms_claimed_at``/``sms_sent_at``). The claim
is one conditional UPDATE, so of two senders at once only one gets it. A worker killed before
sending leaves the claim to expire and the message is sent by the next delivery (the redelivered
task or the periodic outbox sweep). One killed after sending but before marking is the only
case that sends again, and then with the same message id, which mail servers and SMS gateways
use to drop the duplicate.
"""
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation

from .models import Notification


@dataclass(frozen=True)
class Channel:
    wanted: str  # the notification's flag: send on this channel
    sent: str  # when it was sent
    claimed: str  # when a sender claimed it
    address: str  # the recipient's address on this channel

    def free(self, now) -> Q:
        lease = timedelta(seconds=settings.NOTIFICATION_MAIL_LEASE_SECONDS)
        return Q(**{f"{self.claimed}__isnull": True}) | Q(**{f"{self.claimed}__lt": now - lease})

    def unsent(self) -> Q:
        return Q(**{self.wanted: True, f"{self.sent}__isnull": True}) & ~Q(**{self.address: ""})


EMAIL = Channel(wanted="by_email", sent="emailed_at", claimed="email_claimed_at", address="user__email")
SMS = Channel(wanted="by_sms", sent="sms_sent_at", claimed="sms_claimed_at", address="user__phone")


class Busy(Exception):
    """Some of the messages are claimed by another sender that may yet finish them; try again later."""


def claim(channel: Channel, pk: int, now) -> bool:
    return bool(Notification.objects.filter(channel.free(now), pk=pk, **{f"{channel.sent}__isnull": True})
                .update(**{channel.claimed: now}))


def recipient_language(notification) -> str:
    """The recipient's chosen language, else the default (D7: Chinese)."""
    preferences = getattr(notification.user, "notification_preferences", None)
    return (preferences.language if preferences else "") or settings.LANGUAGE_CODE


def deliver(channel: Channel, notification_ids, send_one) -> int:
    """``send_one(notification)`` for each notification due on ``channel`` that is not sent nor
    being sent, in the recipient's language; returns how many were sent. Raises ``Busy`` after
    the others when another sender holds a claim whose lease has not run out."""
    sent, busy = 0, False
    pending = (Notification.objects.filter(channel.unsent(), pk__in=list(notification_ids))
               .select_related("user", "user__notification_preferences"))
    for notification in pending:
        if not claim(channel, notification.pk, timezone.now()):
            busy = True
            continue
        try:
            with translation.override(recipient_language(notification)):
                send_one(notification)
        except Exception:
            Notification.objects.filter(pk=notification.pk).update(**{channel.claimed: None})  # try again later
            raise
        Notification.objects.filter(pk=notification.pk).update(**{channel.sent: timezone.now()})
        sent += 1
    if busy:
        raise Busy(sent)
    return sent


def due_ids(channel: Channel, limit=500) -> list[int]:
    """Messages waiting longer than a minute: queued while the broker was down, or their sender died."""
    now = timezone.now()
    return list(
        Notification.objects.filter(channel.unsent(), channel.free(now), created_at__lt=now - timedelta(minutes=1))
        .order_by("pk").values_list("pk", flat=True)[:limit]
    )
