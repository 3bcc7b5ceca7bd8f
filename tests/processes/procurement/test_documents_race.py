"""A bid file's new version racing the bidding deadline's close, on PostgreSQL (P4, D4): both
take the tender's row lock, so the version is stored before the close — and the close records
its SHA-256 — or refused with a code; never stored after the seal has opened."""
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command

from engine.audit.models import AuditEvent
from engine.documents.models import DocumentVersion
from engine.documents.services import document_replace
from processes.procurement import services

from .conftest import Driver
from .test_documents import REQUIRED, pdf, upload_bid_files
from .test_races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def reference_data(transactional_db, settings, tmp_path):
    call_command("setup_demo", "--no-demo", verbosity=0)
    settings.DOCUMENT_FILE_ROOT = str(tmp_path / "documents")
    settings.DOCUMENT_REQUIRED_KINDS = {**settings.DOCUMENT_REQUIRED_KINDS, **REQUIRED}


@pytest.mark.parametrize("before", [timedelta(milliseconds=-30), timedelta(milliseconds=30)])
def test_a_new_version_racing_the_close_is_recorded_by_it_or_refused(people, budget, before):
    drive = Driver(people, budget)
    tender = drive.open_bidding()
    document = upload_bid_files(drive, 0)
    drive.bid(0, "90000.00")
    with time_machine.travel(tender.tender_end - before, tick=True):
        outcomes = race(
            lambda: document_replace(actor=people["org_users"][0], document=document, file=pdf("最后修改.pdf")),
            lambda: services.close_bidding(tender.pk),
        )
    assert outcomes[0] in ("ok", "permission_denied") and outcomes[1] == "ok", outcomes
    with time_machine.travel(tender.tender_end + timedelta(seconds=5), tick=False):
        services.chronograph_run()
    close = AuditEvent.objects.get(reference=tender.reference, action="procurement.close_bidding")
    recorded = {v["sha256"] for f in close.after["bid_files"] for v in f["versions"]}
    stored = set(DocumentVersion.objects.filter(document__reference=tender.reference).values_list("sha256", flat=True))
    assert stored == recorded and len(stored) == (3 if outcomes[0] == "ok" else 2)
