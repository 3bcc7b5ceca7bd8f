"""Notify users: an in-app message now, an email through Celery once the transaction commits."""
from django.db import transaction

from .models import Notification


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
        from .tasks import send_notification_emails

        transaction.on_commit(lambda: send_notification_emails.delay(ids))
    return created


def mark_read(*, user, notification_ids):
    from django.utils import timezone

    return Notification.objects.filter(user=user, pk__in=notification_ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )
