"""Submitted imports: small files inline, large ones through the Celery task (eager in tests)."""
import hashlib

import pytest

from engine.directory.models import Organization
from engine.imports.models import ImportJob
from engine.imports.services import ImportRefused, async_threshold, submit_import
from engine.imports.tasks import run_import_job
from tests.factories import UserFactory

from .helpers import bad_uscc, csv_bytes, org_row

pytestmark = pytest.mark.django_db


def test_a_small_file_runs_inline_and_its_file_is_deleted(django_capture_on_commit_callbacks, private_import_root):
    user = UserFactory()
    data = csv_bytes([org_row(30), org_row(31)])
    with django_capture_on_commit_callbacks() as callbacks:
        job = submit_import("organizations", data, "小文件.csv", user=user)
    assert callbacks == []  # nothing queued
    assert job.status == ImportJob.Status.DONE and job.created_by == user
    assert (job.total_rows, job.processed_rows, job.created_count, job.percent) == (2, 2, 2, 100)
    assert job.original_name == "小文件.csv"
    assert (job.file_digest, job.file_size) == (hashlib.sha256(data).hexdigest(), len(data))
    # D6: the file (full ID numbers in real imports) is gone once the job is finished
    assert not job.file and not any(p.is_file() for p in private_import_root.rglob("*"))


def test_a_large_file_goes_through_the_celery_task(settings, django_capture_on_commit_callbacks):
    assert async_threshold() == 500  # the default when settings leave it out
    rows = [org_row(1000 + i) for i in range(501)]
    with django_capture_on_commit_callbacks() as callbacks:
        job = submit_import("organizations", csv_bytes(rows, encoding="gbk"), "大文件.csv")
    job.refresh_from_db()
    assert (job.status, job.processed_rows) == (ImportJob.Status.PENDING, 0)
    assert job.file and job.file.path.startswith(str(settings.IMPORT_FILE_ROOT))  # private, kept for the worker
    assert len(callbacks) == 1 and not Organization.objects.filter(name="导入测试组织1000").exists()
    callbacks[0]()  # the transaction commits: the task is queued and, eager here, runs
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.processed_rows == job.total_rows == 501 and job.created_count == 501
    assert job.started_at and job.finished_at and job.error_report == [] and not job.file
    assert Organization.objects.filter(name__startswith="导入测试组织1").count() == 501


def test_a_failing_background_job_records_its_errors(settings, django_capture_on_commit_callbacks):
    settings.IMPORT_ASYNC_ROW_THRESHOLD = 2
    rows = [org_row(40), org_row(41), org_row(42, **{"统一社会信用代码": bad_uscc(42)})]
    with django_capture_on_commit_callbacks(execute=True):
        job = submit_import("organizations", csv_bytes(rows), "坏文件.csv")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert [(e["row"], e["column"]) for e in job.error_report] == [(4, "统一社会信用代码")]
    assert not Organization.objects.filter(name__in=["导入测试组织40", "导入测试组织41"]).exists()


def test_a_job_runs_once_even_if_the_task_is_delivered_twice(settings, django_capture_on_commit_callbacks):
    settings.IMPORT_ASYNC_ROW_THRESHOLD = 0
    with django_capture_on_commit_callbacks(execute=True):
        job = submit_import("organizations", csv_bytes([org_row(43)]), "a.csv")
    job.refresh_from_db()
    finished = job.finished_at
    run_import_job.delay(job.pk)  # a redelivery
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.finished_at == finished


def test_an_unreadable_file_is_refused_at_once_and_nothing_is_stored(django_capture_on_commit_callbacks,
                                                                     private_import_root):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ImportRefused) as refused:
        submit_import("organizations", b"\xd0\xcf\x11\xe0old", "旧版.xls")
    assert callbacks == [] and ".xls" in str(refused.value.message)
    assert not ImportJob.objects.exists() and not private_import_root.exists()
