"""Certification's documents (issue #9): a dispute's evidence is seen by its parties (the
volunteer, the recording organization) and its deciders (the handling organization, the
supervising department), by nobody else; an authenticity check's attachments are the
investigating department's."""
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from engine.cases.errors import NotAllowed, NotFound
from engine.documents.samples import pdf_bytes
from engine.documents.services import document_upload
from processes.certification.services.disputes import dispute_file
from processes.certification.services.reports import report_file
from tests.factories import OrganizationFactory, member, org_user

from .conftest import approved, make_activity

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture(autouse=True)
def document_root(settings, tmp_path):
    settings.DOCUMENT_FILE_ROOT = str(tmp_path / "documents")


def pdf(name):
    return SimpleUploadedFile(name, pdf_bytes(name), content_type="application/pdf")


def api(user):
    c = APIClient(raise_request_exception=False)
    c.force_authenticate(user)
    return c


@pytest.fixture
def dispute(vol_user, approved_record):
    return dispute_file(actor=vol_user, record=approved_record, claim="少记了一小时", claimed_hours=7)


@pytest.fixture
def outsiders(db):
    return [org_user(OrganizationFactory(name="无关协会"), username="cert_outsider"),
            member("base-jinshui", "staff", username="cert_other_dept")]


def test_dispute_evidence_is_seen_by_parties_and_deciders_only(client, dispute, vol_user, manager, outsiders):
    response = api(vol_user).post(f"{API}/documents/cases/{dispute.reference}/",
                                  {"kind": "dispute_evidence", "files": [pdf("签到照片.pdf")]}, format="multipart")
    assert response.status_code == 201, response.content
    document = response.json()[0]["id"]
    supervisor = member(dispute.department.code, "staff", username="cert_supervisor")
    for user in (vol_user, manager, supervisor):
        listed = api(user).get(f"{API}/documents/cases/{dispute.reference}/").json()["results"]
        assert [d["versions"][0]["original_name"] for d in listed] == ["签到照片.pdf"], user
        assert api(user).get(f"{API}/documents/{document}/download/").status_code == 200
    for user in outsiders:
        assert api(user).get(f"{API}/documents/cases/{dispute.reference}/").status_code == 404
        assert api(user).get(f"{API}/documents/{document}/download/").status_code == 404
        with pytest.raises((NotFound, NotAllowed)):
            document_upload(actor=user, case=dispute, kind="dispute_evidence", files=[pdf("伪造.pdf")])
    # the organization answers with its own evidence; the portal page shows both to the volunteer
    document_upload(actor=manager, case=dispute, kind="dispute_evidence", files=[pdf("考勤表.pdf")])
    client.force_login(vol_user)
    page = client.get(f"/certification/portal/disputes/{dispute.reference}/documents/").content.decode()
    assert "签到照片.pdf" in page and "考勤表.pdf" in page
    client.force_login(outsiders[0])
    assert client.get(f"/certification/portal/disputes/{dispute.reference}/documents/").status_code == 404


def test_an_authenticity_check_takes_attachments_from_its_department_only(mca_city, vol_user):
    report = report_file(number="ZS-2026-000404", reporter_name="某公司", reporter_contact="138", description="查无此证")
    [document] = document_upload(actor=mca_city["staff"], case=report, kind="report_attachment", files=[pdf("核查记录.pdf")])
    assert api(mca_city["reviewer"]).get(f"{API}/documents/{document.pk}/download/").status_code == 200
    assert api(vol_user).get(f"{API}/documents/{document.pk}/download/").status_code == 404
    with pytest.raises(NotAllowed):
        document_upload(actor=mca_city["staff"], case=report, kind="dispute_evidence", files=[pdf("错.pdf")])


def test_the_evidence_list_takes_a_fixed_number_of_queries(dispute, vol_user, manager):
    counts = []
    for n in (1, 3):
        while len(api(vol_user).get(f"{API}/documents/cases/{dispute.reference}/").json()["results"]) < n:
            document_upload(actor=vol_user, case=dispute, kind="dispute_evidence", files=[pdf(f"证据{n}.pdf")])
        api(manager).get(f"{API}/documents/cases/{dispute.reference}/")  # caches warm (content types)
        with CaptureQueriesContext(connection) as queries:
            assert len(api(manager).get(f"{API}/documents/cases/{dispute.reference}/").json()["results"]) == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_dispute_evidence_can_be_attached_to_the_disputed_record_itself(dispute, vol_user, manager, approved_record,
                                                                         volunteer, org):
    """R6/R12: evidence of a disputed record (sign-in or back-fill alike) is about that record, found by it;
    another record, even of the same volunteer, is refused (400) and nothing is stored."""
    url = f"{API}/documents/cases/{dispute.reference}/"
    response = api(vol_user).post(url, {"kind": "dispute_evidence", "files": [pdf("服务照片.pdf")],
                                        "subject_type": "certification.servicerecord",
                                        "subject_id": approved_record.pk}, format="multipart")
    assert response.status_code == 201, response.content
    assert (response.json()[0]["subject_type"], response.json()[0]["subject_id"]) == (
        "certification.servicerecord", approved_record.pk)
    by_record = api(manager).get(url, {"subject_type": "certification.servicerecord",
                                       "subject_id": approved_record.pk}).json()["results"]
    assert [d["versions"][0]["original_name"] for d in by_record] == ["服务照片.pdf"]
    other = approved(manager, volunteer, make_activity(org, manager, name="另一次活动", days_ago=2), Decimal("1.0"))
    refused = api(vol_user).post(url, {"kind": "dispute_evidence", "files": [pdf("别的.pdf")],
                                       "subject_type": "certification.servicerecord", "subject_id": other.pk},
                                 format="multipart")
    assert refused.status_code == 400 and refused.json()["code"] == "subject_invalid"
    assert len(api(vol_user).get(url).json()["results"]) == 1
