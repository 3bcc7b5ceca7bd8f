"""OCDS 1.1 release packages (P10): every state's release validates offline; sealed bids stay out."""
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from processes.procurement import conf, ocds, services
from processes.procurement.models import Tender

pytestmark = pytest.mark.django_db


def _package(tender):
    return ocds.release_package([ocds.build_release(tender)], uri="https://example.invalid/releases.json")


def test_schema_is_found_offline_and_catches_errors():
    assert (conf.ocds_schema_dir() / "release-schema.json").exists()
    errors = ocds.validation_errors({"uri": "x", "version": "1.1", "publishedDate": "2026-01-01T00:00:00Z",
                                     "publisher": {"name": "p"}, "releases": [{"ocid": "o", "id": "1"}]})
    assert any("date" in e for e in errors) and any("tag" in e for e in errors)


def test_vendored_copy_matches_the_shared_schema(settings):
    shared = Path(settings.BASE_DIR).parent / "shared" / "ocds-1.1" / "release-schema.json"
    vendored = Path(conf.__file__).parent / "ocds" / "release-schema.json"
    if shared.exists():
        assert json.loads(shared.read_text()) == json.loads(vendored.read_text())
    settings.OCDS_SCHEMA_DIR = str(vendored.parent)
    assert conf.ocds_schema_dir() == vendored.parent


@pytest.mark.parametrize("stage", ["publish", "open_bidding", "evaluation", "award_review", "standstill", "delivery"])
def test_release_of_each_state_is_valid(drive, stage):
    tender = getattr(drive, stage)()
    package = _package(tender)
    assert ocds.validation_errors(package) == []
    release = package["releases"][0]
    assert release["ocid"].endswith(tender.reference) and release["tender"]["value"]["currency"] == "CNY"


def test_sealed_tender_lists_no_tenderers_and_no_prices(drive):
    drive.open_bidding()
    drive.bid(0, "87654.00")
    text = json.dumps(_package(drive.reload()), ensure_ascii=False)
    assert "87654" not in text and "tenderers" not in text and drive.p["orgs"][0].name not in text


def test_completed_contract_with_payments_and_cancelled_tender_are_valid(drive, people):
    tender = drive.delivery()
    m = services.milestone_add(actor=people["staff"], tender_id=tender.pk, name="一期",
                               due_date=str(timezone.localdate()), amount="10000.00")
    services.milestone_accept(actor=people["reviewer"], milestone_id=m.pk)
    p = services.payment_request(actor=people["org_users"][1], milestone_id=m.pk, amount="5000.50")
    services.payment_reject(actor=people["fin"], payment_id=p.pk, reason="金额有误")
    p = services.payment_request(actor=people["org_users"][1], milestone_id=m.pk, amount="9999.50")
    services.payment_approve(actor=people["fin"], payment_id=p.pk)
    tender = services.performance_evaluate(actor=people["head"], tender_id=tender.pk, score="90", comment="好")
    package = _package(tender)
    assert ocds.validation_errors(package) == []
    contract = package["releases"][0]["contracts"][0]
    assert contract["implementation"]["transactions"][0]["value"]["amount"] == 9999.5
    assert contract["milestones"][0]["status"] == "met"

    drive.tender = None
    cancelled = services.tender_cancel(actor=people["staff"], tender_id=drive.publish().pk, reason="需求变更")
    assert ocds.validation_errors(_package(cancelled)) == []
    assert _package(cancelled)["releases"][0]["tag"] == ["tenderCancellation"]


def test_each_change_of_the_published_contract_is_a_new_release(drive, people):
    """P10: a milestone added or accepted and a payment approved change the release, so each
    gets a new release id and date (they used to keep the contract signing's id)."""
    tender = drive.delivery()
    ids = [ocds.build_release(Tender.objects.get(pk=tender.pk))["id"]]
    start = timezone.now()
    for n, step in enumerate((
        lambda: services.milestone_add(actor=people["staff"], tender_id=tender.pk, name="一期",
                                       due_date=str(timezone.localdate()), amount="10000.00"),
        lambda: services.milestone_accept(actor=people["reviewer"], milestone_id=tender.contract.milestones.get().pk),
        lambda: services.payment_request(actor=people["org_users"][1], milestone_id=tender.contract.milestones.get().pk,
                                         amount="10000.00"),
        lambda: services.payment_approve(actor=people["fin"], payment_id=tender.contract.payments.get().pk),
    ), 1):
        with drive.at(start + timedelta(minutes=n)):
            step()
        ids.append(ocds.build_release(Tender.objects.get(pk=tender.pk))["id"])
    # the request alone is not published (only approved payments are); every other step is
    assert len(set(ids)) == 4 and ids[2] == ids[3]
