"""The one import loop every import goes through (issue #12/#13): rows are read lazily, checked
and written a chunk at a time inside ONE transaction, so a single bad row still writes nothing,
while memory stays flat however long the file is: only the current chunk and the first errors
(setting) are held. A committed import leaves one summary audit event (rows, file digest,
actor), plus whatever the services the rows went through recorded themselves."""
import hashlib
import os
from collections import Counter
from itertools import islice

from django.db import transaction

from engine.audit.services import audit_record

from . import conf, registry
from .reading import ImportFileError, open_table
from .report import ErrorLog, ImportReport, file_error


def file_digest(source) -> str:
    """SHA-256 of the file, read in blocks (bytes, a path, or a seekable binary file)."""
    digest = hashlib.sha256()
    if isinstance(source, (bytes, bytearray)):
        digest.update(source)
        return digest.hexdigest()
    handle = open(source, "rb") if isinstance(source, (str, os.PathLike)) else source
    try:
        handle.seek(0)
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
        handle.seek(0)
    finally:
        if handle is not source:
            handle.close()
    return digest.hexdigest()


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def run(name: str, source, filename: str = "", *, user=None, dry_run: bool = False,
        progress=None) -> ImportReport:
    """Import ``source`` (CSV or XLSX: bytes, a path or a seekable binary file) with the resource
    registered as ``name``. All rows or none: the transaction rolls back on a dry run, on any
    row error and on any file error. ``progress(rows_done)`` is called after each chunk."""
    resource = registry.get(name)()
    if isinstance(source, bytearray):
        source = bytes(source)
    digest = file_digest(source)
    errors = ErrorLog(conf.max_reported_errors())
    counts = Counter()
    total = 0
    try:
        with transaction.atomic():
            with open_table(source, filename) as table:
                columns, ignored = resource.map_headers(table.headers)
                resource.start_import(user=user)
                for chunk in _chunks(table, conf.chunk_size()):
                    rows = [(number, {c: v for c, v in zip(columns, values) if c}) for number, values in chunk]
                    resource.import_chunk(rows, errors, counts)
                    total += len(rows)
                    if progress is not None:
                        progress(total)
            if errors or dry_run:
                transaction.set_rollback(True)
            else:
                resource.finish_import()
                audit_record(
                    actor=user, action="import.done", object_type=resource._meta.model._meta.label_lower,
                    after={"resource": name, "file": os.path.basename(filename or ""), "sha256": digest,
                           "rows": total, "created": counts["created"], "updated": counts["updated"],
                           "skipped": counts["skipped"]},
                )
    except ImportFileError as exc:
        report = file_error(name, str(exc), dry_run=dry_run)
        report.file_digest = digest
        return report
    return ImportReport(
        resource=name, dry_run=dry_run, total_rows=total, created=counts["created"],
        updated=counts["updated"], skipped=counts["skipped"], errors=errors.kept,
        error_count=errors.count, ignored_columns=list(ignored), file_digest=digest,
    )

