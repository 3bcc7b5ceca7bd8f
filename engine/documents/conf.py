"""The documents settings, declared once in ``config/settings/base.py`` ("Documents"); read at
each use so tests and deployments can change them."""
from django.conf import settings
from django.utils.module_loading import import_string

STORAGE_ALIAS = "documents"  # the key of ``STORAGES``


def allowed_types() -> tuple[str, ...]:
    """Codes of the allowed types (``detection.TYPES``): pdf, docx, xlsx, jpeg, png by default."""
    return tuple(settings.DOCUMENT_ALLOWED_TYPES)


def max_file_bytes() -> int:
    return int(settings.DOCUMENT_MAX_FILE_BYTES)


def max_case_bytes() -> int:
    """All versions of all documents of one case together (nothing is deleted, so all count)."""
    return int(settings.DOCUMENT_MAX_CASE_BYTES)


def max_files_per_upload() -> int:
    return int(settings.DOCUMENT_MAX_FILES_PER_UPLOAD)


def virus_scan():
    """The scan hook (``DOCUMENT_VIRUS_SCAN``, a dotted path) or None when off.

    It is called as ``scan(file, name)`` with the uploaded file (at position 0) and its original
    name, and returns None when the file is clean or a short reason when it is refused."""
    path = settings.DOCUMENT_VIRUS_SCAN
    return import_string(path) if path else None


def required_kinds(step: str) -> list[str]:
    """The kinds a step needs before it proceeds (``DOCUMENT_REQUIRED_KINDS["<process>.<step>"]``)."""
    return list(settings.DOCUMENT_REQUIRED_KINDS.get(step, ()))


def file_root() -> str:
    return str(settings.DOCUMENT_FILE_ROOT)


def orphan_min_age_minutes() -> int:
    """Stored files younger than this are never swept (an upload may still be in progress)."""
    return int(settings.DOCUMENT_ORPHAN_MIN_AGE_MINUTES)
