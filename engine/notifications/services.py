"""Notify users: an in-app message now, an email through Celery once the transaction commits."""
from django.db import transaction
from django.utils import timezone

from engine.queueing import enqueue_or_leave

from .models import Notification
from .tasks import send_notification_emails


def notify(users, *, title: str, body: str = "", link: str = "", kind: str = "", reference: str = ""):
    """Create one notification per user (duplicates in ``users`` collapse) and queue the mails."""
    seen, created = set(), []
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        created.append(Notification(
            user=user, title=title[:200], body=body, link=link, kind=kind, reference=reference,
        ))
    Notification.objects.bulk_create(created)
    ids = [n.pk for n in created if n.pk and n.user.email]
    if ids:
        transaction.on_commit(lambda: _queue_mail(ids), robust=True)
    return created


def _queue_mail(ids):
    """With the broker down the page still answers; the outbox sweep sends the mail later."""
    enqueue_or_leave(send_notification_emails, ids, left_to="the mail outbox sweep")


def mark_read(*, user, notification_ids):

    return Notification.objects.filter(user=user, pk__in=notification_ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )
