"""The sweep of stored files no version names (left by a caller's rolled-back transaction)."""
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from engine.documents import services
from engine.documents.storage import document_storage

from .conftest import pdf

pytestmark = pytest.mark.django_db


def test_old_unreferenced_files_are_deleted_and_referenced_ones_kept(case, applicant, document_root, capsys):
    (document,) = services.document_upload(actor=applicant, case=case, kind="charter", files=[pdf()])
    kept = document.versions.get().blob
    storage = document_storage()
    stray = storage.save("FH-2026-999999/leftover", ContentFile(b"%PDF-1.4 left behind"))
    fresh = storage.save("FH-2026-999999/in-flight", ContentFile(b"%PDF-1.4 uploading"))
    old = time.time() - 3 * 3600
    for name in (stray, kept):
        os.utime(storage.path(name), (old, old))

    call_command("documents_orphans")
    assert storage.exists(stray) and "有 1 个" in capsys.readouterr().out
    call_command("documents_orphans", "--delete")
    assert not storage.exists(stray) and storage.exists(kept) and storage.exists(fresh)
