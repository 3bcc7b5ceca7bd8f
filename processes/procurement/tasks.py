"""Celery tasks of the procurement process: thin wrappers around services."""
from celery import shared_task

from engine.periodic import exclusive

from .services import chronograph_run


@shared_task(name="processes.procurement.tasks.chronograph")
@exclusive("procurement-chronograph")
def chronograph():
    """Beat task (every minute): move tenders whose enquiry, bidding or standstill period ended.
    Idempotent (each move is a locked transition), and one run at a time."""
    return chronograph_run()
