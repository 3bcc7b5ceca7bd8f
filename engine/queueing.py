"""Handing work to Celery after a commit without making the request depend on the broker."""
import logging

log = logging.getLogger(__name__)


def enqueue_or_leave(task, *args, left_to: str):
    """Queue ``task``; if the broker refuses, log it and leave the work where it is recorded in
    the database, for the periodic sweep named in ``left_to`` to pick up."""
    try:
        task.delay(*args)
    except Exception:  # noqa: BLE001 - any broker failure; the database keeps the work
        log.warning("broker unavailable: %s%r left to %s", task.name, args, left_to)
