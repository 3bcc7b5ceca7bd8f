"""Imports and exports for every process. An import reads the file, checks every row with the
resource (the model's own validation), and writes all rows in one transaction or none; small
files run inline, large ones in a Celery task that calls :func:`process_job`."""
import logging
import os

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import registry
from .formats import CSV, XLSX
from .models import ImportJob
from .progress import ProgressWriter
from .reading import ImportFileError, read_table
from .report import ImportReport, build_report, file_error

logger = logging.getLogger(__name__)


def async_threshold() -> int:
    """Files with more data rows than this run in the background (setting, default 500)."""
    return getattr(settings, "IMPORT_ASYNC_ROW_THRESHOLD", 500)


def run_import(name: str, data: bytes, filename: str = "", *, user=None, dry_run: bool = False,
               progress=None) -> ImportReport:
    """Import ``data`` (CSV or XLSX bytes) with the resource registered as ``name``: all rows
    in one transaction, rolled back on a dry run or if any row is bad (the resource enforces
    it for every caller); a committed import leaves one audit event. ``progress(rows_done)``,
    when given, is called after each row."""
    resource = registry.get(name)()
    try:
        dataset = read_table(data, filename)
        ignored = resource.prepare_dataset(dataset)
    except ImportFileError as exc:
        return file_error(name, str(exc), dry_run=dry_run)
    result = resource.import_data(dataset, dry_run=dry_run, user=user, file_name=filename, progress=progress)
    return build_report(name, resource, result, dataset, dry_run=dry_run, ignored_columns=ignored)


def preview_import(name: str, data: bytes, filename: str = "", *, user=None) -> ImportReport:
    """Dry run: the report an import would give, with nothing written."""
    return run_import(name, data, filename, user=user, dry_run=True)


def submit_import(name: str, data: bytes, filename: str, *, user=None) -> ImportJob:
    """Record an ImportJob for ``data`` and run it: inline when it has at most
    ``IMPORT_ASYNC_ROW_THRESHOLD`` rows, otherwise in a Celery task queued after commit.
    An unreadable file gives a job that has already failed."""
    registry.get(name)  # an unknown name fails here, in front of the user, not in the worker
    job = ImportJob(created_by=user, resource=name, original_name=os.path.basename(filename))
    try:
        job.total_rows = len(read_table(data, filename))
    except ImportFileError as exc:
        job.status, job.finished_at = ImportJob.Status.FAILED, timezone.now()
        job.error_report = file_error(name, str(exc), dry_run=False).errors
    job.file.save(job.original_name or "import.dat", ContentFile(data), save=False)
    job.save()
    if job.status == ImportJob.Status.FAILED:
        return job
    if job.total_rows > async_threshold():
        from .tasks import run_import_job

        transaction.on_commit(lambda: run_import_job.delay(job.pk))
    else:
        process_job(job.pk)
        job.refresh_from_db()
    return job


def process_job(job_id: int) -> None:
    """Run a pending ImportJob to its end (done or failed). A job that is not pending, e.g. a
    task delivered twice, is left alone."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now(), processed_rows=0
    )
    if not claimed:
        logger.info("import job %s is not pending; skipped", job_id)
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    progress = ProgressWriter(job.pk)
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        report = run_import(job.resource, data, job.original_name, user=job.created_by, progress=progress)
    except Exception:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now(),
            error_report=[{"row": None, "column": "", "message": _("系统错误，导入未完成，请联系管理员。")}],
        )
        raise
    finally:
        progress.close()
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.DONE if report.ok else ImportJob.Status.FAILED,
        total_rows=report.total_rows, processed_rows=report.total_rows,
        created_count=report.created, updated_count=report.updated, skipped_count=report.skipped,
        error_report=report.errors, finished_at=timezone.now(),
    )


def export_data(name: str, queryset=None, fmt: str = "csv") -> bytes:
    """Export ``queryset`` (default: all) with the resource registered as ``name``, as CSV
    (UTF-8 with BOM, so Excel shows the Chinese) or XLSX; formula-like cells are neutralized."""
    formats = {"csv": CSV, "xlsx": XLSX}
    if fmt not in formats:
        raise ValueError(f"unknown export format {fmt!r}; use one of {sorted(formats)}")
    dataset = registry.get(name)().export(queryset)
    return formats[fmt]().export_data(dataset)
