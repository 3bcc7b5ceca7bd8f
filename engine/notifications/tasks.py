from celery import shared_task
from django.conf import settings

from engine.periodic import exclusive

from . import digest, mail, outbox, reminders, texts


@shared_task(name="engine.notifications.tasks.send_notification_emails", acks_late=True, bind=True,
             max_retries=5)
def send_notification_emails(self, notification_ids):
    """Mail the given notifications (idempotent: each is claimed before it is sent). A mail that
    another sender holds is tried again once that sender's lease has run out."""
    try:
        return mail.deliver(notification_ids)
    except outbox.Busy:
        raise self.retry(countdown=settings.NOTIFICATION_MAIL_LEASE_SECONDS) from None


@shared_task(name="engine.notifications.tasks.send_notification_texts", acks_late=True, bind=True,
             max_retries=5)
def send_notification_texts(self, notification_ids):
    """Text the given notifications, as ``send_notification_emails`` mails them."""
    try:
        return texts.deliver(notification_ids)
    except outbox.Busy:
        raise self.retry(countdown=settings.NOTIFICATION_MAIL_LEASE_SECONDS) from None


@shared_task(name="engine.notifications.tasks.mail_outbox")
@exclusive("mail-outbox")
def mail_outbox():
    """Periodic: send the mail and text messages the on-commit delivery did not (broker down,
    worker killed). Returns how many mails were sent."""
    try:
        texts.deliver(texts.due_ids())
    except outbox.Busy:  # the rest goes out on a later sweep
        pass
    try:
        return mail.deliver(mail.due_ids())
    except outbox.Busy as busy:
        return busy.args[0]


@shared_task(name="engine.notifications.tasks.send_reminders")
@exclusive("notification-reminders")
def send_reminders():
    """Periodic: remind organizations and volunteers of their deadlines (each reminder once)."""
    return reminders.sweep()


@shared_task(name="engine.notifications.tasks.send_staff_digest")
@exclusive("notification-digest")
def send_staff_digest():
    """Daily: each member of staff's open, due-soon and overdue tasks (once a day)."""
    return digest.sweep()
