"""The sweep of stored files no version names (left by a caller's rolled-back transaction)."""
import os
import time

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command

from engine.documents import services, tasks
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


def test_the_sweep_is_scheduled_with_a_lease_and_deletes_old_orphans(settings):
    """Beat runs ``sweep_orphans`` every ``DOCUMENT_ORPHAN_SWEEP_MINUTES``; a run that finds the
    lease taken (another beat, a redelivered message) does nothing; a run removes only old
    orphans, and a second run finds nothing left."""
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "engine.documents.tasks.sweep_orphans"]
    assert len(entries) == 1 and entries[0]["schedule"].total_seconds() == settings.DOCUMENT_ORPHAN_SWEEP_MINUTES * 60
    storage = document_storage()
    stray = storage.save("FH-2026-999998/leftover", ContentFile(b"%PDF-1.4 left behind"))
    fresh = storage.save("FH-2026-999998/in-flight", ContentFile(b"%PDF-1.4 uploading"))
    old = time.time() - (settings.DOCUMENT_ORPHAN_MIN_AGE_MINUTES + 5) * 60
    os.utime(storage.path(stray), (old, old))

    cache.add("periodic-lease:documents-orphans", "another run", 60)
    try:
        assert tasks.sweep_orphans.delay().get() is None
        assert storage.exists(stray)
    finally:
        cache.delete("periodic-lease:documents-orphans")
    assert tasks.sweep_orphans.delay().get() == 1
    assert not storage.exists(stray) and storage.exists(fresh)
    assert tasks.sweep_orphans.delay().get() == 0
