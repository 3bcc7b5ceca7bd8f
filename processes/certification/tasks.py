"""Periodic work of the certification process (beat: ``certification-sweep``): end public
notices (R15) and close disputes whose appeal period lapsed. Thin: ids in, services out."""
import logging

from celery import shared_task

from .selectors import disputes_lapsed, notices_due

log = logging.getLogger(__name__)


def run_sweep(now=None) -> dict:
    from django.utils import timezone

    from .services.disputes import dispute_close_lapsed
    from .services.requests import request_end_notice

    now = now or timezone.now()
    done = {"notices": 0, "disputes": 0}
    for case_id in notices_due(now):
        request_end_notice(case_id=case_id, now=now)
        done["notices"] += 1
    for case_id in disputes_lapsed(now):
        dispute_close_lapsed(case_id=case_id, now=now)
        done["disputes"] += 1
    return done


@shared_task
def sweep():
    result = run_sweep()
    log.info("certification sweep: %s", result)
    return result
