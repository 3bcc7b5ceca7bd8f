"""Text messages for notifications through the ``SMS_BACKEND`` (``engine.notifications.sms``),
delivered from the outbox (``engine.notifications.outbox``): each at most once."""
from django.utils.translation import gettext as _

from . import outbox, sms


def _send(notification):
    text = _("[Zhiyuan Zhengzhou] %(title)s") % {"title": notification.title}
    sms.send(sms.TextMessage(to=notification.user.phone, text=text, key=f"notification-{notification.pk}"))


def deliver(notification_ids) -> int:
    """Text each notification that is due by text message and not sent nor being sent."""
    return outbox.deliver(outbox.SMS, notification_ids, _send)


def due_ids(limit=500) -> list[int]:
    return outbox.due_ids(outbox.SMS, limit)
