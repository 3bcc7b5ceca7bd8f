"""Celery entry points: take ids, call one service.

An import task is acknowledged only when it ends (``acks_late``) and given back to the queue if
its worker dies (``reject_on_worker_lost``); it is idempotent: ``process_job`` runs a job only
when it is pending, or running with a heartbeat older than the stale bound. Jobs whose worker
died and files past their retention are cleared by ``sweep_import_jobs`` (beat schedule)."""
from celery import shared_task

from engine.periodic import exclusive

from . import services


@shared_task(name="engine.imports.tasks.run_import_job", acks_late=True, reject_on_worker_lost=True)
def run_import_job(job_id: int) -> None:
    services.process_job(job_id)


@shared_task(name="engine.imports.tasks.sweep_import_jobs")
@exclusive("import-sweep")
def sweep_import_jobs() -> dict:
    return services.sweep_jobs()
