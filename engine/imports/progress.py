"""Live progress for a long import. The import runs in one transaction, so a row count written
on the same connection stays invisible until the end; this writes it on a connection of its own
(autocommit), a few times a second at most."""
import time

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from .models import ImportJob


class ProgressWriter:
    """Callable ``(processed_rows)``. Inactive where a side connection cannot help: SQLite
    allows one writer at a time (it would wait for the import itself), and inside an outer
    transaction the job row may not be committed yet, so there is nothing to update."""

    def __init__(self, job_id: int, interval: float = 0.5):
        self.job_id = job_id
        self.interval = interval
        self._last = 0.0
        self._side = None
        if connection.vendor != "sqlite" and not connection.in_atomic_block:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, processed: int) -> None:
        now = time.monotonic()
        if self._side is None or now - self._last < self.interval:
            return
        self._last = now
        ops, meta = self._side.ops, ImportJob._meta
        sql = "UPDATE {} SET {} = %s, {} = %s WHERE {} = %s".format(
            ops.quote_name(meta.db_table),
            ops.quote_name(meta.get_field("processed_rows").column),
            ops.quote_name(meta.get_field("heartbeat_at").column),
            ops.quote_name(meta.pk.column),
        )
        with self._side.cursor() as cursor:
            # The heartbeat tells the sweep this job's worker is alive (see services.sweep_jobs).
            cursor.execute(sql, [processed, timezone.now(), self.job_id])

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
