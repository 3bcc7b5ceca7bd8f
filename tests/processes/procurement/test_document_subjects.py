"""Issue #9: a document's optional subject (the one object of the case it is about) in the API
and the upload form. Only a type the process allows for the kind and an object of the same case
(one the uploader may attach to) is accepted; anything else is a 400 and nothing is stored."""
from datetime import timedelta

import pytest
from django.utils import timezone

from engine.documents.models import Document
from processes.procurement import services

from .conftest import Driver
from .test_documents import api, pdf

pytestmark = pytest.mark.django_db
API = "/api/v1/documents/cases"


@pytest.fixture(autouse=True)
def document_root(settings, tmp_path):
    settings.DOCUMENT_FILE_ROOT = str(tmp_path / "documents")


def _contract_with_milestone(drive, people):
    tender = drive.delivery()
    milestone = services.milestone_add(actor=people["staff"], tender_id=tender.pk, name="第一阶段",
                                       due_date=str(timezone.localdate()), amount="10000.00")
    contractor = next(u for u, o in zip(people["org_users"], people["orgs"]) if o.pk == tender.awarded_bid.organization_id)
    return tender, milestone, contractor


def test_the_api_takes_and_shows_a_subject_of_the_case(drive, people):
    tender, milestone, contractor = _contract_with_milestone(drive, people)
    response = api(contractor).post(f"{API}/{tender.reference}/", {
        "kind": "acceptance", "files": [pdf("验收材料.pdf")],
        "subject_type": "procurement.milestone", "subject_id": milestone.pk}, format="multipart")
    assert response.status_code == 201, response.content
    [shown] = response.json()
    assert shown["subject_type"] == "procurement.milestone" and shown["subject_id"] == milestone.pk
    document = Document.objects.get(pk=shown["id"])
    assert document.subject_id == milestone.pk and document.subject_type.model == "milestone"
    # listed with it, and found by it
    listed = api(people["staff"]).get(f"{API}/{tender.reference}/", {
        "subject_type": "procurement.milestone", "subject_id": milestone.pk}).json()["results"]
    assert [d["id"] for d in listed] == [document.pk]
    # the milestone's acceptance finds the file through its subject (P8)
    services.milestone_accept(actor=people["reviewer"], milestone_id=milestone.pk)


@pytest.mark.parametrize("case", ["other_case", "wrong_type", "half", "no_such", "not_allowed_for_kind"])
def test_a_subject_that_does_not_fit_is_a_400_and_nothing_is_stored(drive, people, budget, case):
    tender, milestone, contractor = _contract_with_milestone(drive, people)
    data = {"kind": "acceptance", "files": [pdf("验收材料.pdf")],
            "subject_type": "procurement.milestone", "subject_id": milestone.pk}
    if case == "other_case":
        other = Driver(people, budget)
        other_tender = other.delivery()
        data["subject_id"] = services.milestone_add(actor=people["staff"], tender_id=other_tender.pk, name="别的",
                                                    due_date=str(timezone.localdate()), amount="1000.00").pk
    elif case == "wrong_type":
        data["subject_type"] = "procurement.complaint"
    elif case == "half":
        del data["subject_type"]
    elif case == "no_such":
        data["subject_id"] = milestone.pk + 1000
    else:  # the contract is about the case as a whole
        data["kind"] = "contract"
    before = Document.objects.count()
    response = api(contractor).post(f"{API}/{tender.reference}/", data, format="multipart")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "subject_invalid" and "subject" in response.json()["fields"]
    assert Document.objects.count() == before


def test_the_upload_form_offers_the_subjects_and_stores_the_chosen_one(client, drive, people):
    tender, milestone, contractor = _contract_with_milestone(drive, people)
    client.force_login(contractor)
    page = client.get(f"/procurement/tenders/{tender.reference}/documents/").content.decode()
    assert 'name="subject"' in page and f'value="procurement.milestone:{milestone.pk}"' in page and "第一阶段" in page
    response = client.post(f"/documents/case/{tender.reference}/upload/", {
        "kind": "invoice", "subject": f"procurement.milestone:{milestone.pk}", "files": [pdf("发票.pdf")],
        "next": f"/procurement/tenders/{tender.reference}/documents/"}, follow=True)
    document = Document.objects.get(reference=tender.reference, kind="invoice")
    assert document.subject_id == milestone.pk
    text = response.content.decode()
    assert "发票.pdf" in text and "第一阶段" in text
    # a subject from elsewhere is refused with a message, nothing stored
    response = client.post(f"/documents/case/{tender.reference}/upload/", {
        "kind": "invoice", "subject": "procurement.milestone:999999", "files": [pdf("发票2.pdf")],
        "next": f"/procurement/tenders/{tender.reference}/documents/"}, follow=True)
    assert not Document.objects.filter(versions__original_name="发票2.pdf").exists()
    assert "所选对象不属于" in response.content.decode()


def test_a_bidder_can_name_only_its_own_bid(drive, people):
    tender = drive.open_bidding()
    drive.bid(0, "90000.00")
    drive.bid(1, "91000.00")
    own, other = (tender.bids.get(organization=people["orgs"][i]) for i in (0, 1))
    with drive.at(tender.enquiry_end + timedelta(hours=5)):
        ok = api(people["org_users"][0]).post(f"{API}/{tender.reference}/", {
            "kind": "bid_technical", "files": [pdf("技术.pdf")], "subject_type": "procurement.bid",
            "subject_id": own.pk}, format="multipart")
        refused = api(people["org_users"][0]).post(f"{API}/{tender.reference}/", {
            "kind": "bid_technical", "files": [pdf("技术2.pdf")], "subject_type": "procurement.bid",
            "subject_id": other.pk}, format="multipart")
    assert ok.status_code == 201, ok.content
    assert refused.status_code == 400 and refused.json()["code"] == "subject_invalid"
    assert not Document.objects.filter(versions__original_name="技术2.pdf").exists()
