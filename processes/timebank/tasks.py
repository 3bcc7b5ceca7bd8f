"""Timed work of the time bank: thin tasks calling one service each."""
from celery import shared_task
from django.utils import timezone

from .models import Redemption
from .services.exchange import redemption_expire


@shared_task
def expire_redemptions():
    """T6: release the holds of redemptions their provider did not answer by the due time."""
    now = timezone.now()
    ids = list(Redemption.objects.filter(status=Redemption.Status.HELD, due_at__lte=now).values_list("pk", flat=True))
    return sum(1 for pk in ids if redemption_expire(redemption_id=pk, now=now) is not None)
