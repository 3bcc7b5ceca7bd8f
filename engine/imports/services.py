"""Imports and exports for every process. An import streams the file through the resource
(``pipeline.run``) and writes all rows in one transaction or none; small files run inline,
large ones in a Celery task that calls :func:`process_job`. Uploaded files live in private
storage (``storage.py``) and are deleted when their job ends; :func:`sweep_jobs` fails jobs
whose worker died and deletes files left past the retention period."""
import datetime
import logging
import os
from itertools import islice

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import status

from engine.cases.errors import RuleViolation
from engine.queueing import enqueue_or_leave

from . import conf, pipeline, registry
from .formats import CSV, XLSX
from .models import ImportJob
from .progress import ProgressWriter
from .reading import ImportFileError, count_rows, open_table
from .report import ImportReport
from .storage import digest_and_size, purge_leftovers
from .tasks import run_import_job

logger = logging.getLogger(__name__)
LIVE = (ImportJob.Status.PENDING, ImportJob.Status.RUNNING)


class ImportRefused(RuleViolation):
    """400: the file as a whole cannot be imported (unreadable, over a limit); nothing written."""

    code = "import_file_invalid"

    def __init__(self, message):
        super().__init__(message, fields={"file": [str(message)]})


class ImportTooLarge(RuleViolation):
    """413: the upload is over ``IMPORT_MAX_UPLOAD_BYTES``; it was not stored."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    code = "import_file_too_large"
    default_message = gettext_lazy("The file is too large to import.")


def async_threshold() -> int:
    return conf.async_row_threshold()


def run_import(name: str, source, filename: str = "", *, user=None, dry_run: bool = False,
               progress=None) -> ImportReport:
    """Import ``source`` (CSV or XLSX bytes, path or binary file) with the resource registered
    as ``name``; see ``pipeline.run``."""
    return pipeline.run(name, source, filename, user=user, dry_run=dry_run, progress=progress)


def preview_import(name: str, source, filename: str = "", *, user=None) -> ImportReport:
    """Dry run: the report an import would give, with nothing written."""
    return run_import(name, source, filename, user=user, dry_run=True)


def check_upload_size(size: int) -> None:
    if size > conf.max_upload_bytes():
        raise ImportTooLarge(_("The file is over the %(mb)s MB limit; please split it and import the parts separately.")
                             % {"mb": round(conf.max_upload_bytes() / 1024 / 1024, 1)})


def _as_file(source, filename):
    if isinstance(source, (bytes, bytearray)):
        return ContentFile(bytes(source), name=filename or "import.dat")
    return source if isinstance(source, File) else File(source, name=filename or "import.dat")


def submit_import(name: str, source, filename: str, *, user=None) -> ImportJob:
    """Check the upload (size, readable, header), keep it in private storage as an ImportJob and
    run it: inline when it has at most ``IMPORT_ASYNC_ROW_THRESHOLD`` rows, otherwise in a
    Celery task queued after commit. A file refused up front raises and stores nothing."""
    resource = registry.get(name)()  # an unknown name fails here, in front of the user, not in the worker
    upload = _as_file(source, filename)
    digest, size = digest_and_size(upload)
    check_upload_size(size)
    threshold = async_threshold()
    try:
        # Only as far as needed to decide inline or background; errors further down the
        # file fail the job with their row numbers.
        with open_table(upload, filename) as table:
            resource.map_headers(table.headers)
            rows = sum(1 for _row in islice(table, threshold + 1))
    except ImportFileError as exc:
        raise ImportRefused(str(exc)) from None
    upload.seek(0)
    job = ImportJob(created_by=user, resource=name, original_name=os.path.basename(filename or ""),
                    file_digest=digest, file_size=size, total_rows=rows if rows <= threshold else 0)
    job.file.save("import.dat", upload, save=False)
    job.save()
    if rows > threshold:
        transaction.on_commit(lambda: _queue_job(job.pk), robust=True)
    else:
        process_job(job.pk)
        job.refresh_from_db()
    return job


def _stale_before():
    return timezone.now() - datetime.timedelta(minutes=conf.stale_job_minutes())


def _claim(job_id: int) -> bool:
    """Take the job: pending, or running but silent past the bound (its worker died and the
    task was redelivered; the dead run's transaction rolled back, so running again is safe)."""
    now = timezone.now()
    stale = Q(status=ImportJob.Status.RUNNING) & Q(last_sign__lt=_stale_before())
    return bool(
        ImportJob.objects.annotate(last_sign=Coalesce("heartbeat_at", "started_at", "created_at"))
        .filter(Q(status=ImportJob.Status.PENDING) | stale, pk=job_id)
        .update(status=ImportJob.Status.RUNNING, started_at=now, heartbeat_at=now, processed_rows=0)
    )


def _discard_file(job: ImportJob) -> None:
    if job.file:
        job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(file="")


def process_job(job_id: int) -> None:
    """Run a pending ImportJob to its end (done or failed), then delete its file. A job that
    is finished, or running with a live heartbeat (a task delivered twice), is left alone."""
    if not _claim(job_id):
        logger.info("import job %s is not pending; skipped", job_id)
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    progress = ProgressWriter(job.pk)
    try:
        with job.file.open("rb") as handle:
            if not job.total_rows:
                ImportJob.objects.filter(pk=job_id).update(total_rows=_count_or_zero(handle, job.original_name))
            report = run_import(job.resource, handle, job.original_name, user=job.created_by, progress=progress)
    except Exception:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now(), error_count=1,
            error_report=[{"row": None, "column": "", "message": _("A system error stopped the import; please contact the administrator.")}],
        )
        raise
    finally:
        progress.close()
        _discard_file(job)
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.DONE if report.ok else ImportJob.Status.FAILED,
        total_rows=report.total_rows, processed_rows=report.total_rows,
        created_count=report.created, updated_count=report.updated, skipped_count=report.skipped,
        error_report=report.errors, error_count=report.error_count, finished_at=timezone.now(),
    )


def _count_or_zero(handle, filename) -> int:
    try:
        return count_rows(handle, filename)
    except ImportFileError:
        return 0  # the import itself reports it, with its message
    finally:
        handle.seek(0)


REQUEUE_AFTER = datetime.timedelta(minutes=10)


def _queue_job(job_id):
    """With the broker down the upload still succeeds; the sweep queues the job again."""
    enqueue_or_leave(run_import_job, job_id, left_to="the import sweep")


def sweep_jobs() -> dict:
    """Periodic and idempotent: fail running jobs silent past ``IMPORT_STALE_JOB_MINUTES`` (a
    killed worker) and pending ones older than the retention period, delete the files of
    finished jobs, and delete any file in private storage past ``IMPORT_FILE_RETENTION_HOURS``
    that no live job holds."""
    now = timezone.now()
    message = [{"row": None, "column": "", "message": _("The import was interrupted (its worker stopped); nothing was written. Please submit it again.")}]
    dead = (ImportJob.objects.annotate(last_sign=Coalesce("heartbeat_at", "started_at", "created_at"))
            .filter(status=ImportJob.Status.RUNNING, last_sign__lt=_stale_before()))
    failed = dead.update(status=ImportJob.Status.FAILED, finished_at=now, error_report=message, error_count=1)
    expired = now - datetime.timedelta(hours=conf.file_retention_hours())
    failed += ImportJob.objects.filter(status=ImportJob.Status.PENDING, created_at__lt=expired).update(
        status=ImportJob.Status.FAILED, finished_at=now, error_report=message, error_count=1)
    # queued while the broker was down (or its message lost): give it to a worker again; a job
    # already running or done is left alone by the task itself
    waiting = ImportJob.objects.filter(status=ImportJob.Status.PENDING, created_at__lt=now - REQUEUE_AFTER)
    requeued = 0
    for job_id in waiting.values_list("pk", flat=True)[:100]:
        _queue_job(job_id)
        requeued += 1
    removed = 0
    for job in ImportJob.objects.exclude(status__in=LIVE).exclude(file="").only("pk", "file"):
        _discard_file(job)
        removed += 1
    keep = set(ImportJob.objects.filter(status__in=LIVE).exclude(file="").values_list("file", flat=True))
    removed += purge_leftovers(keep)
    return {"failed_jobs": failed, "deleted_files": removed, "requeued_jobs": requeued}


def export_data(name: str, queryset=None, fmt: str = "csv") -> bytes:
    """Export ``queryset`` (default: all) with the resource registered as ``name`` (importable
    or export only); see :func:`export_file`."""
    return export_file(registry.get_export(name), queryset, fmt)


def export_file(resource_class, queryset=None, fmt: str = "csv") -> bytes:
    """``queryset`` (default: all) exported by ``resource_class`` as CSV (UTF-8 with BOM, so
    Excel shows the Chinese) or XLSX; formula-like cells are neutralized."""
    formats = {"csv": CSV, "xlsx": XLSX}
    if fmt not in formats:
        raise ValueError(f"unknown export format {fmt!r}; use one of {sorted(formats)}")
    dataset = resource_class().export(queryset)
    return formats[fmt]().export_data(dataset)
