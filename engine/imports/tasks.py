"""Celery entry points: take ids, call one service."""
from celery import shared_task

from . import services


@shared_task(name="engine.imports.tasks.run_import_job")
def run_import_job(job_id: int) -> None:
    services.process_job(job_id)
