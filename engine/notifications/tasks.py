from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from .models import Notification


@shared_task(name="engine.notifications.tasks.send_notification_emails")
def send_notification_emails(notification_ids):
    """Mail each notification not mailed yet; marking it first keeps a retry from mailing twice."""
    for notification in Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related("user"):
        updated = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if updated:
            send_mail(
                f"【志愿郑州】{notification.title}", notification.body or notification.title,
                settings.DEFAULT_FROM_EMAIL, [notification.user.email], fail_silently=False,
            )
