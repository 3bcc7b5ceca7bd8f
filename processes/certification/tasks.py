"""Periodic work of the certification process (beat: ``certification-sweep``): move open
steps of merged or dissolved organizations to whoever answers now (R9), end public notices
(R15) and close disputes whose appeal period lapsed. Thin: ids in, services out."""
import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from engine.cases.errors import DomainError
from engine.periodic import exclusive

from .selectors import cases_to_reroute, disputes_lapsed, notices_due
from .services.disputes import dispute_close_lapsed
from .services.requests import request_end_notice
from .services.routing import reroute_case

log = logging.getLogger(__name__)


def run_sweep(now=None) -> dict:
    now = now or timezone.now()
    done = {"notices": 0, "disputes": 0, "rerouted": 0}
    for model, case_id in cases_to_reroute():
        with transaction.atomic():
            case = model.objects.select_for_update().get(pk=case_id)
            done["rerouted"] += int(reroute_case(case))
    for case_id in notices_due(now):
        done["notices"] += _one(request_end_notice, case_id, now)
    for case_id in disputes_lapsed(now):
        done["disputes"] += _one(dispute_close_lapsed, case_id, now)
    return done


def _one(service, case_id, now) -> int:
    """One case's failure (its records were deleted during the notice, a race with a person)
    is logged and left for people; it must not stop the sweep for every other case."""
    try:
        service(case_id=case_id, now=now)
    except DomainError as exc:
        log.warning("certification sweep: %s(%s) refused: %s", service.__name__, case_id, exc.message)
        return 0
    return 1


@shared_task(name="processes.certification.tasks.sweep")
@exclusive("certification-sweep")
def sweep():
    result = run_sweep()
    log.info("certification sweep: %s", result)
    return result
