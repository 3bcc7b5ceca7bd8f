"""Mail for notifications through Django's mail (``EMAIL_BACKEND``; SMTP configured by the
``EMAIL_*`` settings), delivered from the outbox (``engine.notifications.outbox``): each at most
once, with a stable Message-ID so a rare resend after a crash is dropped as a duplicate."""
from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from . import outbox
from .outbox import Busy  # noqa: F401  (the tasks catch it as mail.Busy)


def message_id(notification) -> str:
    return f"<notification-{notification.pk}@{settings.NOTIFICATION_MAIL_DOMAIN}>"


def _send(notification):
    EmailMessage(
        _("[Zhiyuan Zhengzhou] %(title)s") % {"title": notification.title}, notification.body or notification.title,
        settings.DEFAULT_FROM_EMAIL, [notification.user.email],
        headers={"Message-ID": message_id(notification)},
    ).send(fail_silently=False)


def deliver(notification_ids) -> int:
    """Mail each notification that is due by mail and not sent nor being sent; see ``outbox.deliver``."""
    return outbox.deliver(outbox.EMAIL, notification_ids, _send)


def due_ids(limit=500) -> list[int]:
    return outbox.due_ids(outbox.EMAIL, limit)
