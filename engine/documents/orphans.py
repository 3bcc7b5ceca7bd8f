"""Stored files that no document version names, and their removal (issue #9).

A file is written before its version row, inside the upload's transaction; the upload removes
it again when its own transaction fails, but a caller's larger transaction that rolls back
afterwards leaves it behind. Only files older than a minimum age are looked at, so an upload
still in progress is never touched. Works on the local directory and on S3 alike (Django's
storage API). Run by ``manage.py documents_orphans`` and, with ``--delete``'s effect, by the
periodic task ``engine.documents.tasks.sweep_orphans`` (``DOCUMENT_ORPHAN_SWEEP_MINUTES``).
"""
from datetime import timedelta

from django.utils import timezone

from .models import DocumentVersion
from .storage import document_storage


def stored_names(storage, path=""):
    directories, files = storage.listdir(path)
    for name in files:
        yield f"{path}/{name}" if path else name
    for directory in directories:
        yield from stored_names(storage, f"{path}/{directory}" if path else directory)


def orphans_sweep(*, min_age_minutes: int, delete: bool) -> list[str]:
    """The stored names older than ``min_age_minutes`` that no version names; removed from the
    storage when ``delete``. Idempotent: a second run finds nothing left to remove."""
    storage = document_storage()
    cutoff = timezone.now() - timedelta(minutes=min_age_minutes)
    try:
        names = list(stored_names(storage))
    except FileNotFoundError:  # nothing stored yet
        names = []
    known = set(DocumentVersion.objects.filter(blob__in=names).values_list("blob", flat=True))
    orphans = [n for n in names if n not in known and storage.get_modified_time(n) < cutoff]
    if delete:
        for name in orphans:
            storage.delete(name)
    return orphans
