"""The periodic refresh of the dashboard's snapshots (``DASHBOARD_SNAPSHOT_MINUTES``)."""
from celery import shared_task
from django.utils import timezone

from engine.periodic import exclusive

from . import snapshots


@shared_task(name="engine.dashboard.tasks.refresh_snapshots")
@exclusive("dashboard-snapshots")
def refresh_snapshots():
    """This year's figures; in January also last year's, whose December is still being finished."""
    today = timezone.localdate()
    snapshots.refresh(today.year)
    if today.month == 1:
        snapshots.refresh(today.year - 1)
