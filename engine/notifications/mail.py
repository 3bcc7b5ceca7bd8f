"""Mail for notifications, delivered from the database (an outbox), so no mail is lost when the
broker is down or a worker dies, and none is sent twice on purpose.

A notification is claimed for a lease before it is sent and marked sent afterwards. A worker
killed before sending leaves the claim to expire and the mail is sent by the next delivery (the
redelivered task or the periodic outbox sweep). One killed after sending but before marking is
the only case that sends again, and then with the same Message-ID, which mail servers and
clients use to drop the duplicate: delivery is effectively exactly once.
"""
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification

log = logging.getLogger(__name__)


def _lease():
    return timedelta(seconds=settings.NOTIFICATION_MAIL_LEASE_SECONDS)


def message_id(notification) -> str:
    return f"<notification-{notification.pk}@{settings.NOTIFICATION_MAIL_DOMAIN}>"


def _claim(pk, now) -> bool:
    free = Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - _lease())
    return bool(Notification.objects.filter(free, pk=pk, emailed_at__isnull=True).update(email_claimed_at=now))


class Busy(Exception):
    """Some of the mail is claimed by another sender that may yet finish it; try again later."""


def deliver(notification_ids) -> int:
    """Send each notification's mail that is not sent nor being sent; returns how many were sent.
    Raises ``Busy`` after the others when another sender holds a claim (its lease has not run out)."""
    sent, busy = 0, False
    pending = Notification.objects.filter(pk__in=list(notification_ids), emailed_at__isnull=True).exclude(
        user__email=""
    ).select_related("user")
    for notification in pending:
        if not _claim(notification.pk, timezone.now()):
            busy = True
            continue
        message = EmailMessage(
            _("[Zhiyuan Zhengzhou] %(title)s") % {"title": notification.title}, notification.body or notification.title,
            settings.DEFAULT_FROM_EMAIL, [notification.user.email],
            headers={"Message-ID": message_id(notification)},
        )
        try:
            message.send(fail_silently=False)
        except Exception:
            Notification.objects.filter(pk=notification.pk).update(email_claimed_at=None)  # try again later
            raise
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    if busy:
        raise Busy(sent)
    return sent


def due_ids(limit=500) -> list[int]:
    """Mail waiting longer than a minute: queued while the broker was down, or its sender died."""
    now = timezone.now()
    return list(
        Notification.objects.filter(emailed_at__isnull=True, created_at__lt=now - timedelta(minutes=1))
        .filter(Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - _lease()))
        .exclude(user__email="").order_by("pk").values_list("pk", flat=True)[:limit]
    )
