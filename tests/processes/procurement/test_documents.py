"""Procurement's documents (issue #9): bid files sealed exactly like the bid (P4) on every
surface until the deadline has passed and been processed, then open to the panel and the
department; the kinds each step requires (P8); the tender documents public once published."""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from engine.audit.models import AuditEvent
from engine.cases.errors import NotAllowed, RuleViolation
from engine.documents.models import Document
from engine.documents.samples import pdf_bytes
from engine.documents.services import document_replace, document_upload
from processes.procurement import services
from tests.factories import UserFactory

from .conftest import Driver, route
from .test_secrecy import _everything

pytestmark = pytest.mark.django_db
API = "/api/v1"
REQUIRED = {
    "procurement.bid": ["bid_technical", "bid_price"],
    "procurement.contract": ["contract"],
    "procurement.milestone_accept": ["acceptance"],
    "procurement.payment_request": ["invoice"],
}
SECRET_NAME = "技术方案-保密.pdf"


@pytest.fixture(autouse=True)
def document_root(settings, tmp_path):
    settings.DOCUMENT_FILE_ROOT = str(tmp_path / "documents")


@pytest.fixture
def required(settings):
    """The production setting: steps require their documents."""
    settings.DOCUMENT_REQUIRED_KINDS = {**settings.DOCUMENT_REQUIRED_KINDS, **REQUIRED}


@pytest.fixture
def admin_user(db):
    return UserFactory(username="p_admin", is_superuser=True, is_staff=True)


def pdf(name, title="file"):
    return SimpleUploadedFile(name, pdf_bytes(title), content_type="application/pdf")


def api(user=None):
    c = APIClient(raise_request_exception=False)
    if user is not None:
        c.force_authenticate(user)
    return c


def upload_bid_files(drive, i, name=SECRET_NAME):
    people, tender = drive.p, drive.tender
    with drive.at(tender.enquiry_end + timedelta(minutes=30 + i)):
        technical = document_upload(actor=people["org_users"][i], case=tender, kind="bid_technical",
                                    files=[pdf(name, f"technical {i}")])
        document_upload(actor=people["org_users"][i], case=tender, kind="bid_price",
                        files=[pdf(f"报价{i}.pdf", f"price {i}")])
    return technical[0]


def test_before_the_deadline_bid_files_show_nowhere_but_to_their_bidder(client, drive, people, admin_user, required):
    tender = drive.open_bidding()
    document = upload_bid_files(drive, 0)
    drive.bid(0, "90000.00")
    sha = document.versions.get().sha256
    expert, bidder, other_bidder = people["experts"][0], people["org_users"][0], people["org_users"][1]
    with drive.at(tender.enquiry_end + timedelta(hours=5)):
        for user in (people["staff"], people["head"], people["fin"], expert, admin_user, other_bidder):
            c = api(user)
            listed = c.get(f"{API}/documents/cases/{tender.reference}/")
            assert SECRET_NAME not in listed.content.decode() and sha not in listed.content.decode(), user
            assert c.get(f"{API}/documents/{document.pk}/download/").status_code == 404, user
            text = _everything(user, tender)
            assert SECRET_NAME not in text and sha not in text, user
            client.force_login(user)
            assert client.get(f"/documents/{document.pk}/").status_code == 404, user
            for url in (f"/workbench/procurement/{tender.reference}/", f"/workbench/tasks/case/{tender.reference}/",
                        "/portal/", f"/procurement/tenders/{tender.reference}/bid/"):
                html = client.get(url).content.decode()
                assert SECRET_NAME not in html, (user, url)
        # the admin lists neither the document nor its versions, and its page answers like a missing one
        client.force_login(admin_user)
        changelist = client.get("/admin/documents/document/?q=" + SECRET_NAME[:4]).content.decode()
        assert SECRET_NAME not in changelist and tender.reference not in changelist
        assert client.get(f"/admin/documents/document/{document.pk}/change/").status_code in (302, 404)
        # the audit trail: nothing under the tender, and no event anywhere names the file or its hash
        assert not AuditEvent.objects.filter(reference=tender.reference, action__startswith="documents.").exists()
        sealed_events = AuditEvent.objects.filter(action="documents.upload", object_type="procurement.bid_document")
        assert sealed_events.count() == 2
        assert not [e for e in sealed_events if SECRET_NAME in str(e.after) or sha in str(e.after)]
        # the bidder sees and downloads its own files
        own = api(bidder).get(f"{API}/documents/cases/{tender.reference}/").json()
        assert {d["kind"] for d in own["results"]} == {"bid_technical", "bid_price"}
        assert api(bidder).get(f"{API}/documents/{document.pk}/download/").status_code == 200
        client.force_login(bidder)
        assert SECRET_NAME in client.get(f"/procurement/tenders/{tender.reference}/bid/").content.decode()


def test_after_the_close_the_panel_downloads_the_bid_files_other_bidders_never(client, drive, people, required):
    tender = drive.open_bidding()
    document = upload_bid_files(drive, 0)
    upload_bid_files(drive, 1, name="另一家的方案.pdf")
    drive.bid(0, "90000.00")
    drive.bid(1, "91000.00")
    stored = document.versions.get()
    with drive.at(tender.tender_end + timedelta(seconds=1)):
        # the deadline has passed but the close is not processed yet: still sealed
        assert api(people["experts"][0]).get(f"{API}/documents/{document.pk}/download/").status_code == 404
        services.chronograph_run()
        response = api(people["experts"][0]).get(f"{API}/documents/{document.pk}/download/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == pdf_bytes("technical 0")
        kinds = [d["kind"] for d in api(people["head"]).get(f"{API}/documents/cases/{tender.reference}/").json()["results"]]
        assert sorted(kinds) == ["bid_price", "bid_price", "bid_technical", "bid_technical"]
        # another bidder never sees a competitor's files
        assert api(people["org_users"][1]).get(f"{API}/documents/{document.pk}/download/").status_code == 404
        client.force_login(people["experts"][0])
        page = client.get(f"/workbench/procurement/{tender.reference}/").content.decode()
        assert SECRET_NAME in page
        # the close fixes in the trail what was bid: each file's SHA-256 (D4)
        close = AuditEvent.objects.get(reference=tender.reference, action="procurement.close_bidding")
        hashes = {v["sha256"] for f in close.after["bid_files"] for v in f["versions"]}
        assert stored.sha256 in hashes and len(close.after["bid_files"]) == 4
        # bid files are what was bid: no new version, no withdrawal after the deadline
        with pytest.raises(NotAllowed):
            document_replace(actor=people["org_users"][0], document=document, file=pdf("新版.pdf"))


def test_a_bid_file_racing_the_deadline_is_refused_after_it(drive, people):
    tender = drive.open_bidding()
    with drive.at(tender.tender_end + timedelta(seconds=1)), pytest.raises(NotAllowed):
        document_upload(actor=people["org_users"][0], case=tender, kind="bid_technical", files=[pdf("迟到.pdf")])
    assert not Document.objects.filter(reference=tender.reference).exists()


def test_a_bid_needs_its_technical_and_price_files(drive, people, required):
    tender = drive.open_bidding()
    with pytest.raises(RuleViolation) as refused:
        drive.bid(0, "90000.00")
    assert refused.value.code == "documents_missing"
    assert "投标技术文件" in str(refused.value.message) and "投标报价文件" in str(refused.value.message)
    # another organization's files do not count for this one
    upload_bid_files(drive, 1)
    with pytest.raises(RuleViolation):
        drive.bid(0, "90000.00")
    upload_bid_files(drive, 0)
    assert drive.bid(0, "90000.00").pk
    assert tender.bids.count() == 1


def test_a_bid_without_files_is_refused_in_the_portal_with_the_missing_kinds(client, drive, people, required):
    tender = drive.open_bidding()
    client.force_login(people["org_users"][0])
    with drive.at(tender.enquiry_end + timedelta(hours=1)):
        response = client.post(f"/procurement/tenders/{tender.reference}/bid/", {
            "organization": people["orgs"][0].pk, "price": "90000.00", "content": "方案"}, follow=True)
    assert "投标技术文件" in response.content.decode()
    assert not tender.bids.exists()


def test_contract_milestone_and_payment_require_their_documents(drive, people, required, settings):
    settings.DOCUMENT_REQUIRED_KINDS = {**settings.DOCUMENT_REQUIRED_KINDS, "procurement.bid": []}
    tender = drive.contracting()
    staff = people["staff"]
    contractor = next(u for u, o in zip(people["org_users"], people["orgs"]) if o.pk == tender.awarded_bid.organization_id)
    start = timezone.localdate(tender.tender_end)
    data = {"amount": str(tender.awarded_bid.price), "start_date": str(start), "end_date": str(start.replace(year=start.year + 1))}
    with pytest.raises(RuleViolation) as refused:
        services.contract_sign(actor=staff, task_id=route(tender, "contract").pk, data=data)
    assert "合同" in str(refused.value.message)
    document_upload(actor=contractor, case=tender, kind="contract", files=[pdf("合同.pdf")])
    services.contract_sign(actor=staff, task_id=route(tender, "contract").pk, data=data)
    milestone = services.milestone_add(actor=staff, tender_id=tender.pk, name="第一阶段", due_date=str(start), amount="10000.00")
    with pytest.raises(RuleViolation) as refused:
        services.milestone_accept(actor=staff, milestone_id=milestone.pk)
    assert "验收材料" in str(refused.value.message)
    services.milestone_documents_upload(actor=contractor, milestone_id=milestone.pk, kind="acceptance", files=[pdf("验收.pdf")])
    services.milestone_accept(actor=staff, milestone_id=milestone.pk)
    with pytest.raises(RuleViolation) as refused:
        services.payment_request(actor=contractor, milestone_id=milestone.pk, amount="10000.00")
    assert "发票" in str(refused.value.message)
    services.milestone_documents_upload(actor=contractor, milestone_id=milestone.pk, kind="invoice", files=[pdf("发票.pdf")])
    assert services.payment_request(actor=contractor, milestone_id=milestone.pk, amount="10000.00").pk
    # the contractor's documents: the department sees them, a losing bidder does not
    loser = next(u for u, o in zip(people["org_users"], people["orgs"][:3]) if o.pk != tender.awarded_bid.organization_id)
    assert len(api(staff).get(f"{API}/documents/cases/{tender.reference}/").json()["results"]) == 3
    assert api(loser).get(f"{API}/documents/cases/{tender.reference}/").json()["results"] == []


def test_published_tender_documents_are_public_and_nothing_else_is(client, drive, people):
    tender = drive.create()
    [document] = document_upload(actor=people["staff"], case=tender, kind="tender", files=[pdf("招标文件.pdf")])
    url = f"/procurement/tenders/{tender.reference}/documents/{document.pk}/"
    assert client.get(url).status_code == 404  # a draft is not public
    tender = drive.open_bidding()
    response = client.get(url)
    assert response.status_code == 200 and "filename*=utf-8''" in response["Content-Disposition"]
    bid_file = upload_bid_files(drive, 0)
    assert client.get(f"/procurement/tenders/{tender.reference}/documents/{bid_file.pk}/").status_code == 404
    # a signed-in organization lists the tender documents, not a competitor's files
    listed = api(people["org_users"][2]).get(f"{API}/documents/cases/{tender.reference}/").json()["results"]
    assert [d["kind"] for d in listed] == ["tender"]


def test_the_document_list_takes_a_fixed_number_of_queries(people, budget):
    counts = []
    for bidders in (1, 3):
        drive = Driver(people, budget)
        tender = drive.open_bidding()
        for i in range(bidders):
            upload_bid_files(drive, i)
            drive.bid(i, "90000.00")
        with drive.at(tender.tender_end + timedelta(seconds=1)):
            services.chronograph_run()
            c = api(people["experts"][0])
            c.get(f"{API}/documents/cases/{tender.reference}/")  # caches warm (content types)
            with CaptureQueriesContext(connection) as queries:
                response = c.get(f"{API}/documents/cases/{tender.reference}/")
            assert len(response.json()["results"]) == 2 * bidders
        counts.append(len(queries))
    assert counts[0] == counts[1]
