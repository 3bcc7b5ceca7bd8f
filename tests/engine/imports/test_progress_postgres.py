"""On PostgreSQL the row count is visible to others while the import's transaction is open."""
import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from engine.directory.models import District
from engine.imports.models import ImportJob
from engine.imports.progress import ProgressWriter


def _processed_rows_seen_from_outside(job_id):
    outside = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with outside.cursor() as cursor:
            cursor.execute("SELECT processed_rows, heartbeat_at FROM imports_importjob WHERE id = %s", [job_id])
            processed, heartbeat = cursor.fetchone()
            assert heartbeat is not None  # the sweep sees the worker is alive
            return processed
    finally:
        outside.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_while_the_import_transaction_is_open():
    job = ImportJob.objects.create(resource="organizations", total_rows=10)
    writer = ProgressWriter(job.pk, interval=0)
    try:
        with transaction.atomic():
            District.objects.create(code="progress-test", name="进度测试区")  # the open write
            writer(7)
            assert _processed_rows_seen_from_outside(job.pk) == 7
            transaction.set_rollback(True)
    finally:
        writer.close()
    assert not District.objects.filter(code="progress-test").exists()
