from celery import shared_task
from django.conf import settings

from engine.periodic import exclusive

from . import mail


@shared_task(name="engine.notifications.tasks.send_notification_emails", acks_late=True, bind=True,
             max_retries=5)
def send_notification_emails(self, notification_ids):
    """Mail the given notifications (idempotent: each is claimed before it is sent). A mail that
    another sender holds is tried again once that sender's lease has run out."""
    try:
        return mail.deliver(notification_ids)
    except mail.Busy:
        raise self.retry(countdown=settings.NOTIFICATION_MAIL_LEASE_SECONDS) from None


@shared_task(name="engine.notifications.tasks.mail_outbox")
@exclusive("mail-outbox")
def mail_outbox():
    """Periodic: send what the on-commit delivery did not (broker down, worker killed)."""
    try:
        return mail.deliver(mail.due_ids())
    except mail.Busy as busy:  # the rest goes out on a later sweep
        return busy.args[0]
