"""API v1 and pages: public verification (no login, throttled, same answer for wrong code and
unknown number), public key, PDF, register XLSX, portal section and actions."""
from decimal import Decimal
from io import BytesIO

import pytest
import segno
from django.core.cache import cache
from openpyxl import load_workbook
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from engine.cases.models import TaskRoute
from engine.directory import demo as directory_demo
from processes.certification import demo, pdf
from processes.certification.models import Activity, Certificate, CertificateRequest, Dispute, ServiceRecord, Volunteer
from processes.certification.services.certificates import certificate_verify
from processes.certification.services.disputes import dispute_file
from processes.certification.services.reports import report_file
from tests.factories import UserFactory, member

from .conftest import id_number

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_throttle():
    cache.clear()


def client_for(user=None):
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


@pytest.fixture
def issued(vol_user, org, manager, approved_record):
    res = client_for(vol_user).post("/api/v1/certification/requests/", {"organization": org.pk, "purpose": "求职"},
                                    format="json")
    assert res.status_code == 201, res.data
    ref = res.data["reference"]
    res = client_for(manager).post(f"/api/v1/certification/requests/{ref}/decide/", {"decision": "issue"}, format="json")
    assert res.status_code == 200 and res.data["status"] == "issued", res.data
    return Certificate.objects.get(request__reference=ref)


def test_public_verify_endpoint(issued):
    c = client_for()
    res = c.get("/api/v1/certification/verify/", {"number": issued.number, "code": issued.verification_code})
    assert res.status_code == 200
    assert res.data["result"] == "valid" and res.data["total_hours"] == "6.50"
    assert res.data["volunteer"] == "李*萌" and res.data["issuer"] == issued.issuer_name
    wrong = c.get("/api/v1/certification/verify/", {"number": issued.number, "code": "AAAAAAAA"})
    unknown = c.get("/api/v1/certification/verify/", {"number": "ZS-2000-000009", "code": "AAAAAAAA"})
    assert wrong.status_code == unknown.status_code == 404 and wrong.data == unknown.data
    assert c.get("/api/v1/certification/public-key/").data["public_key_pem"].startswith("-----BEGIN PUBLIC KEY")


def test_public_verify_is_throttled(settings, issued):
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])

    ScopedRateThrottle.THROTTLE_RATES = {**rates, "public_verify": "2/min"}
    try:
        c = client_for()
        codes = [c.get("/api/v1/certification/verify/", {"number": issued.number, "code": "x"}).status_code
                 for _ in range(3)]
    finally:
        ScopedRateThrottle.THROTTLE_RATES = rates
    assert codes[-1] == 429


def test_api_refusals(vol_user, manager, org, issued):
    anon = client_for()
    assert anon.get("/api/v1/certification/records/").status_code in (401, 403)
    res = client_for(vol_user).post(f"/api/v1/certification/requests/{issued.request.reference}/decide/",
                                    {"decision": "issue"}, format="json")
    assert res.status_code == 409  # nothing open any more
    res = client_for(manager).post("/api/v1/certification/requests/", {"organization": org.pk}, format="json")
    assert res.status_code == 400  # the organization itself has no volunteer entry


def test_me_records_and_dispute_via_api(vol_user, manager, issued, approved_record):
    me = client_for(vol_user).get("/api/v1/certification/me/").data
    assert me["approved_hours"] == "6.50" and me["stars"] == 0 and len(me["certificates"]) == 1
    assert me["volunteer"]["id_number"].count("*") == 0  # the volunteer sees their own data (R5)
    res = client_for(vol_user).post("/api/v1/certification/disputes/",
                                     {"record": approved_record.pk, "claim": "应为8小时", "claimed_hours": "8"},
                                     format="json")
    assert res.status_code == 201, res.data
    ref = res.data["reference"]
    res = client_for(manager).post(f"/api/v1/certification/disputes/{ref}/decide/",
                                   {"decision": "uphold", "reason": "属实", "data": {"hours": "8"}}, format="json")
    assert res.status_code == 200 and res.data["status"] == "upheld", res.data
    issued.refresh_from_db()
    assert issued.status == "superseded"
    res = client_for().get("/api/v1/certification/verify/", {"number": issued.number, "code": issued.verification_code})
    assert res.data["result"] == "superseded" and res.data["superseded_by"] == issued.superseded_by.number


def test_organization_records_flow_via_api(manager, org, volunteer):
    c = client_for(manager)
    res = c.post("/api/v1/certification/activities/", {
        "organization": org.pk, "name": "义诊", "place": "金水区", "start_at": "2026-01-05T09:00:00+08:00",
        "end_at": "2026-01-05T12:00:00+08:00", "person_in_charge": "钱"}, format="json")
    assert res.status_code == 201, res.data
    res = c.post("/api/v1/certification/records/", {"volunteer": volunteer.pk, "id_number": volunteer.id_number, "activity": res.data["id"],
                                                    "hours": "2.5", "source": "backfill"}, format="json")
    assert res.status_code == 201 and res.data["status"] == "entered", res.data
    rid = res.data["id"]
    assert c.post(f"/api/v1/certification/records/{rid}/submit/").status_code == 200
    assert c.post(f"/api/v1/certification/records/{rid}/approve/").status_code == 403  # R12: not the enterer
    assert c.post(f"/api/v1/certification/records/{rid}/deny/", {"reason": "无签到"}).data["status"] == "denied"


def test_verify_page_and_qr_link(client, issued):
    res = client.get(f"/certification/verify/?number={issued.number}&code={issued.verification_code}")
    assert res.status_code == 200
    body = res.content.decode()
    assert 'data-result="valid"' in body and "6.50" in body and "李*萌" in body
    assert issued.volunteer.id_number not in body
    res = client.get(f"/certification/verify/?number={issued.number}&code=BAD")
    assert 'data-result="not_found"' in res.content.decode()


def test_verify_page_report_opens_authenticity_case(client, issued):
    res = client.post("/certification/verify/", {"number": issued.number, "code": "BAD", "reporter_name": "某公司",
                                                  "reporter_contact": "138", "description": "无法核验"})
    assert res.status_code == 200
    assert TaskRoute.objects.filter(node="investigate", department__code="mca").exists()


def test_pdf_and_register(client, vol_user, manager, issued):
    client.force_login(vol_user)
    res = client.get(f"/certification/certificates/{issued.number}/pdf/")
    assert res.status_code == 200 and res.content.startswith(b"%PDF")
    assert client.get("/certification/register.xlsx").status_code == 403  # volunteers have no register
    client.force_login(manager)
    res = client.get("/certification/register.xlsx")
    ws = load_workbook(BytesIO(res.content)).active
    rows = list(ws.values)
    assert rows[0][0] == "证明编号" and rows[1][0] == issued.number and Decimal(str(rows[1][6])) == Decimal("6.5")


def test_pdf_is_not_shown_to_others(client, issued):
    client.force_login(UserFactory())
    assert client.get(f"/certification/certificates/{issued.number}/pdf/").status_code == 404


def test_portal_volunteer_requests_and_org_issues(client, vol_user, manager, org, approved_record):
    client.force_login(vol_user)
    page = client.get("/portal/certification/").content.decode()
    assert 'id="cert-volunteer"' in page and "6.50" in page
    res = client.post("/certification/portal/request/", {"organization": org.pk, "purpose": "升学"})
    assert res.status_code == 302
    case = CertificateRequest.objects.get()
    client.force_login(manager)
    page = client.get("/portal/certification/").content.decode()
    assert case.reference in page and "申请 1 条记录，共 6.50 小时" in page
    route = TaskRoute.objects.get(reference=case.reference)
    client.post(f"/certification/portal/tasks/{route.pk}/", {"decision": "issue"})
    case.refresh_from_db()
    assert case.status == "issued"
    client.force_login(vol_user)
    page = client.get("/portal/certification/").content.decode()
    assert case.certificates.get().number in page
    client.post("/certification/portal/dispute/", {"record": approved_record.pk, "claim": "少记了", "claimed_hours": "7"})
    assert Dispute.objects.filter(volunteer__user=vol_user).count() == 1


def test_workbench_register_page(client, issued):
    client.force_login(member("mca", "staff", username="mca_reg"))
    res = client.get("/workbench/certificates/")
    assert res.status_code == 200 and issued.number in res.content.decode()


def test_demo_loads_once_with_a_verifying_certificate_and_an_open_dispute():
    directory_demo.load()
    demo.load()
    demo.load()  # idempotent
    cert = Certificate.objects.get()
    assert certificate_verify(number=cert.number, code=cert.verification_code)["result"] == "valid"
    assert Dispute.objects.get().status == "organizer_review"
    assert CertificateRequest.objects.filter(status="verifying").count() == 1


def test_portal_self_registration(client):
    user = UserFactory(username="newbie")
    client.force_login(user)
    assert 'id="cert-register"' in client.get("/portal/certification/").content.decode()
    client.post("/certification/portal/register/", {"real_name": "新人", "id_number": "123", "consent": "1"})

    assert not Volunteer.objects.exists()
    client.post("/certification/portal/register/", {"real_name": "新人", "id_number": id_number(61), "consent": "1"})
    assert Volunteer.objects.get(user=user).real_name == "新人"
    assert 'id="cert-volunteer"' in client.get("/portal/certification/").content.decode()


def test_portal_organization_registers_activity_and_enters_hours(client, manager, manager2, org, volunteer):
    client.force_login(manager)
    assert 'id="cert-org-activity"' in client.get("/portal/certification/").content.decode()
    client.post("/certification/portal/activities/", {
        "organization": org.pk, "name": "植树", "place": "郑东新区", "category": "service",
        "start_at": "2026-03-12T08:00", "end_at": "2026-03-12T12:00", "person_in_charge": "钱"})

    activity = Activity.objects.get(name="植树")
    client.post("/certification/portal/records/", {"volunteer": volunteer.volunteer_number, "id_number": volunteer.id_number, "activity": activity.pk,
                                                   "hours": "5"})
    assert not ServiceRecord.objects.exists()  # over the activity's four hours (R12)
    client.post("/certification/portal/records/", {"volunteer": volunteer.volunteer_number, "id_number": volunteer.id_number, "activity": activity.pk,
                                                   "hours": "3.5"})
    record = ServiceRecord.objects.get()
    assert record.status == "pending" and record.late  # entered months later (R3)
    assert record.source == "backfill"  # typed by hand (R12)
    client.post(f"/certification/portal/records/{record.pk}/approve/")
    record.refresh_from_db()
    assert record.status == "pending"  # not by the one who entered it (R12)
    client.force_login(manager2)
    client.post(f"/certification/portal/records/{record.pk}/approve/")
    record.refresh_from_db()
    assert record.status == "approved"


def test_workbench_disputes_and_reports_page(client, approved_record, vol_user):
    dispute = dispute_file(actor=vol_user, record=approved_record, claim="少记", claimed_hours=7)
    report = report_file(number="ZS-2026-000404", reporter_name="某", reporter_contact="1", description="查无")
    client.force_login(member("mca-jinshui", "reviewer", username="js_rev_page"))
    page = client.get("/workbench/certificates/disputes/").content.decode()
    assert dispute.reference in page and report.reference not in page
    client.force_login(member("mca", "staff", username="mca_page"))
    page = client.get("/workbench/certificates/disputes/").content.decode()
    assert report.reference in page and "No viewsets" not in page


def test_pdf_qr_code_encodes_the_public_verification_link(issued, monkeypatch):
    seen = []
    real = segno.make

    def spy(content, *args, **kwargs):
        seen.append(content)
        return real(content, *args, **kwargs)

    monkeypatch.setattr(pdf.segno, "make", spy)
    data = pdf.certificate_pdf(issued, base_url="https://zyzz.example/")
    assert data.startswith(b"%PDF") and b"STSong-Light" in data
    assert seen == [f"https://zyzz.example/certification/verify/?number={issued.number}&code={issued.verification_code}"]
