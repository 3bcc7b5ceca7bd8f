"""Beat tasks of the incubation process: thin, each calls one service."""
from celery import shared_task

from engine.periodic import exclusive

from .services import advance as advance_service


@shared_task(name="processes.incubation.tasks.advance")
@exclusive("incubation-advance")
def advance():
    """Start mid-term and graduation reviews when due, admit waiting applications to free
    places (I3, I4, I5). Idempotent: run it as often as you like (every 10 minutes)."""
    return advance_service()
