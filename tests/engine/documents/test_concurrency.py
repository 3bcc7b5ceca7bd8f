"""Uploads racing on one case keep within the per-case limit: the case row is locked (PostgreSQL)."""
import threading

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection

from engine.cases.errors import RuleViolation
from engine.documents import services
from engine.documents.models import DocumentVersion
from engine.documents.samples import pdf_bytes

from .conftest import pdf

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """A transactional test starts from an emptied database: the departments come back first."""
    call_command("setup_demo", "--no-demo", verbosity=0)


def test_concurrent_uploads_respect_the_case_limit(case, applicant, settings, document_root):
    size = len(pdf_bytes("Charter"))
    settings.DOCUMENT_MAX_CASE_BYTES = size * 3  # room for three of the eight files
    barrier, outcomes = threading.Barrier(8), []

    def upload(i):
        close_old_connections()
        try:
            barrier.wait(timeout=30)
            services.document_upload(actor=applicant, case=case, kind="application", files=[pdf(f"材料{i}.pdf")])
            outcomes.append("stored")
        except RuleViolation as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["case_limit"] * 5 + ["stored"] * 3
    assert DocumentVersion.objects.count() == 3
    stored = [p for p in document_root.rglob("*") if p.is_file()]
    assert len(stored) == 3  # the refused uploads left no file behind
