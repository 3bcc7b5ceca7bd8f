"""Import settings, each with its default here so a deployment sets only what it changes.
Bounds keep the work of any upload finite (issue #16); the private file root keeps uploaded
personal data (full ID numbers, phones; D6) off every public URL."""
from pathlib import Path

from django.conf import settings


def _get(name, default):
    return getattr(settings, name, default)


def max_upload_bytes() -> int:
    return _get("IMPORT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)


def max_rows() -> int:
    """Data rows per file, blank rows included (they cost parsing too)."""
    return _get("IMPORT_MAX_ROWS", 200_000)


def max_columns() -> int:
    return _get("IMPORT_MAX_COLUMNS", 64)


def max_cell_chars() -> int:
    return _get("IMPORT_MAX_CELL_CHARS", 2_000)


def max_uncompressed_bytes() -> int:
    """An XLSX's declared uncompressed size, all members together."""
    return _get("IMPORT_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)


def max_compression_ratio() -> int:
    """Uncompressed/compressed per XLSX member above 1 MB; real sheets stay far below it."""
    return _get("IMPORT_MAX_COMPRESSION_RATIO", 100)


def chunk_size() -> int:
    """Rows read, checked and written together inside the import's one transaction."""
    return _get("IMPORT_CHUNK_SIZE", 500)


def max_reported_errors() -> int:
    """Errors kept for the report; the total count is always given."""
    return _get("IMPORT_MAX_REPORTED_ERRORS", 100)


def async_row_threshold() -> int:
    """Files with more data rows than this run in the background."""
    return _get("IMPORT_ASYNC_ROW_THRESHOLD", 500)


def file_root() -> Path:
    """Where uploaded files wait for their job: outside MEDIA_ROOT, never served."""
    default = Path(settings.BASE_DIR) / "var" / "private" / "imports"
    return Path(_get("IMPORT_FILE_ROOT", default))


def file_retention_hours() -> int:
    return _get("IMPORT_FILE_RETENTION_HOURS", 24)


def stale_job_minutes() -> int:
    """A running job not heard from for this long is dead (its worker was killed). Longer than
    Celery's hard time limit, so a live task is never declared dead."""
    hard_limit = _get("CELERY_TASK_TIME_LIMIT", 15 * 60) or 0
    return _get("IMPORT_STALE_JOB_MINUTES", max(30, hard_limit // 60 + 5))
