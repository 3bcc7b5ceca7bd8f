"""Uploaded files stay private and do not outlive their job; a job whose worker was killed does
not stay "running" forever (issue #16)."""
import datetime
import os
import time

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.utils import timezone

from engine.directory.models import Organization
from engine.imports import conf
from engine.imports.models import ImportJob
from engine.imports.services import process_job, sweep_jobs
from engine.imports.tasks import run_import_job, sweep_import_jobs

from .helpers import csv_bytes, org_row

pytestmark = pytest.mark.django_db


def _job(status, *, minutes_ago=0, data=None, **fields):
    job = ImportJob(resource="organizations", original_name="a.csv", status=status, **fields)
    job.file.save("import.dat", ContentFile(data or csv_bytes([org_row(70)])), save=False)
    job.save()
    then = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    ImportJob.objects.filter(pk=job.pk).update(created_at=then, started_at=then if status == "running" else None,
                                               heartbeat_at=then if status == "running" else None)
    job.refresh_from_db()
    return job


def test_import_files_live_outside_media_root_and_have_no_url(private_import_root):
    job = _job(ImportJob.Status.PENDING)
    assert job.file.path.startswith(str(private_import_root))
    assert not job.file.path.startswith(str(django_settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        job.file.url
    assert oct(os.stat(job.file.path).st_mode & 0o777) == "0o600"


def test_sweep_fails_a_job_whose_worker_died_and_leaves_a_live_one_alone():
    stale = conf.stale_job_minutes()
    dead = _job(ImportJob.Status.RUNNING, minutes_ago=stale + 1)
    alive = _job(ImportJob.Status.RUNNING, minutes_ago=stale - 1)
    dead_path = dead.file.path
    assert sweep_jobs()["failed_jobs"] == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == ImportJob.Status.FAILED and dead.finished_at and "中断" in dead.error_report[0]["message"]
    assert not dead.file and not os.path.exists(dead_path)  # its personal data is gone too
    assert alive.status == ImportJob.Status.RUNNING and alive.file and os.path.exists(alive.file.path)
    assert sweep_import_jobs() == {"failed_jobs": 0, "deleted_files": 0, "requeued_jobs": 0}  # idempotent: nothing more to do


def test_sweep_deletes_leftover_files_past_retention_but_not_those_of_pending_jobs(private_import_root):
    pending = _job(ImportJob.Status.PENDING)
    orphan_old = private_import_root / "2026" / "01" / "orphan.dat"
    orphan_new = private_import_root / "2026" / "01" / "recent.dat"
    orphan_old.parent.mkdir(parents=True, exist_ok=True)
    orphan_old.write_bytes(b"id numbers")
    orphan_new.write_bytes(b"id numbers")
    old = time.time() - (conf.file_retention_hours() + 1) * 3600
    os.utime(orphan_old, (old, old))
    os.utime(pending.file.path, (old, old))  # old, but its job still needs it
    assert sweep_jobs() == {"failed_jobs": 0, "deleted_files": 1, "requeued_jobs": 0}
    assert not orphan_old.exists() and orphan_new.exists() and os.path.exists(pending.file.path)


def test_a_pending_job_older_than_the_retention_period_is_failed_and_its_file_deleted():
    job = _job(ImportJob.Status.PENDING, minutes_ago=conf.file_retention_hours() * 60 + 1)
    path = job.file.path
    assert sweep_jobs() == {"failed_jobs": 1, "deleted_files": 1, "requeued_jobs": 0}
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and not os.path.exists(path)


def test_a_redelivered_task_reruns_a_dead_job_but_not_a_live_or_finished_one():
    dead = _job(ImportJob.Status.RUNNING, minutes_ago=conf.stale_job_minutes() + 1, data=csv_bytes([org_row(71)]))
    alive = _job(ImportJob.Status.RUNNING, minutes_ago=1, data=csv_bytes([org_row(72)]))
    run_import_job.delay(dead.pk)  # the broker gives the killed worker's message to another worker
    run_import_job.delay(alive.pk)  # a duplicate delivery while the first worker still runs it
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == ImportJob.Status.DONE and dead.created_count == 1 and not dead.file
    assert alive.status == ImportJob.Status.RUNNING and alive.file
    assert list(Organization.objects.values_list("name", flat=True)) == ["导入测试组织71"]
    finished = dead.finished_at
    process_job(dead.pk)  # once more: a finished job is left alone
    dead.refresh_from_db()
    assert dead.finished_at == finished and Organization.objects.count() == 1


def test_the_import_task_is_acknowledged_late_and_the_sweep_is_scheduled():
    assert run_import_job.acks_late is True and run_import_job.reject_on_worker_lost is True
    schedule = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert "engine.imports.tasks.sweep_import_jobs" in schedule
    # the stale bound is beyond the hard time limit: a live task is never declared dead
    assert conf.stale_job_minutes() * 60 > django_settings.CELERY_TASK_TIME_LIMIT


def test_a_job_queued_while_the_broker_was_down_is_queued_again_and_done(monkeypatch):
    """The upload committed but the broker refused the message: the sweep hands the pending
    job to a worker again (here eager), and it is done once, like any other."""
    waiting = _job(ImportJob.Status.PENDING, minutes_ago=11, data=csv_bytes([org_row(81)]))
    fresh = _job(ImportJob.Status.PENDING, minutes_ago=1, data=csv_bytes([org_row(82)]))
    assert sweep_jobs()["requeued_jobs"] == 1
    waiting.refresh_from_db()
    fresh.refresh_from_db()
    assert waiting.status == ImportJob.Status.DONE and fresh.status == ImportJob.Status.PENDING
    assert list(Organization.objects.values_list("name", flat=True)) == ["导入测试组织81"]
    assert sweep_jobs()["requeued_jobs"] == 0  # done is done
