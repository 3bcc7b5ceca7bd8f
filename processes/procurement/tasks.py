"""Celery tasks of the procurement process: thin wrappers around services."""
from celery import shared_task

from .services import chronograph_run


@shared_task(name="processes.procurement.tasks.chronograph")
def chronograph():
    """Beat task (every minute): move tenders whose enquiry, bidding or standstill period ended."""
    return chronograph_run()
