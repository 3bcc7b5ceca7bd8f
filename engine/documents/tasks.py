"""The periodic sweep of stored files no document version names (beat schedule
``documents-orphans``, every ``DOCUMENT_ORPHAN_SWEEP_MINUTES``): thin, one lease at a time."""
import logging

from celery import shared_task

from engine.periodic import exclusive

from . import conf
from .orphans import orphans_sweep

log = logging.getLogger(__name__)


@shared_task(name="engine.documents.tasks.sweep_orphans", ignore_result=True)
@exclusive("documents-orphans", lease_seconds=60 * 60)
def sweep_orphans() -> int:
    """Delete the files older than ``DOCUMENT_ORPHAN_MIN_AGE_MINUTES`` that no version names."""
    removed = orphans_sweep(min_age_minutes=conf.orphan_min_age_minutes(), delete=True)
    if removed:
        log.info("documents: %s orphaned stored files removed", len(removed))
    return len(removed)
