"""Public verification (R10): no oracle between a wrong code and an unknown number, even for a
tampered or revoked certificate; the signature covers what the certificate states and the
status is checked against the audit trail, so changing either in the database shows invalid;
odd input is a "not found", never an error."""
import base64
import json
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from engine.cases.actions import task_complete
from engine.cases.models import TaskRoute
from processes.certification.models import AuthenticityReport, Certificate
from processes.certification.services.certificates import certificate_revoke, certificate_verify
from processes.certification.services.disputes import dispute_file
from processes.certification.services.requests import request_create
from processes.certification.signing import check_signing_key
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()  # the public rate limit counts per address across tests otherwise


def open_route(case):
    return TaskRoute.objects.get(reference=case.reference, state__in=["open", "claimed"])


@pytest.fixture
def certificate(org, manager, volunteer, vol_user, approved_record):
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org)
    task_complete(actor=manager, task_id=open_route(case).pk, decision="issue")
    return Certificate.objects.get(request=case)


def verify(number, code):
    return certificate_verify(number=number, code=code)


def test_wrong_code_on_a_tampered_or_revoked_certificate_says_only_not_found(certificate, manager):
    unknown = verify("ZS-1999-000001", "ABCDEFGH")
    Certificate.objects.filter(pk=certificate.pk).update(volunteer_name="张三")
    assert verify(certificate.number, "ABCDEFGH") == unknown  # no "invalid" without the code
    Certificate.objects.filter(pk=certificate.pk).update(volunteer_name=certificate.volunteer_name)
    certificate_revoke(actor=manager, number=certificate.number, reason="误发")
    assert verify(certificate.number, "ABCDEFGH") == unknown
    assert verify(certificate.number, certificate.verification_code)["result"] == "revoked"


@pytest.mark.parametrize("field,value", [
    ("volunteer_name", "张三"), ("volunteer_id_masked", "4101**********9999"), ("issuer_name", "伪造单位"),
    ("recording_organization", "伪造单位"), ("total_hours", Decimal("600.00")), ("sealed", True),
])
def test_any_stated_field_changed_in_the_database_fails(certificate, field, value):
    Certificate.objects.filter(pk=certificate.pk).update(**{field: value})
    assert verify(certificate.number, certificate.verification_code)["result"] == "invalid"


def test_snapshot_hours_changed_in_the_database_fail(certificate):
    snapshot = certificate.snapshot
    snapshot[0]["hours"] = "60.00"
    Certificate.objects.filter(pk=certificate.pk).update(snapshot=snapshot)
    assert verify(certificate.number, certificate.verification_code)["result"] == "invalid"


def test_revoked_certificate_set_back_to_valid_in_the_database_fails(certificate, manager):
    certificate_revoke(actor=manager, number=certificate.number, reason="误发")
    Certificate.objects.filter(pk=certificate.pk).update(status="valid")
    result = verify(certificate.number, certificate.verification_code)
    assert result["result"] == "invalid" and "total_hours" not in result


def test_superseded_certificate_unlinked_in_the_database_fails(certificate, approved_record, vol_user, manager):
    dispute = dispute_file(actor=vol_user, record=approved_record, claim="应为7小时", claimed_hours="7")
    task_complete(actor=manager, task_id=open_route(dispute).pk, decision="uphold", reason="核实")
    old = Certificate.objects.get(pk=certificate.pk)
    answer = verify(old.number, old.verification_code)
    assert answer["result"] == "superseded" and answer["superseded_by"] == old.superseded_by.number
    Certificate.objects.filter(pk=old.pk).update(status="valid", superseded_by=None)
    assert verify(old.number, old.verification_code)["result"] == "invalid"


@pytest.mark.parametrize("number,code", [("", ""), ("证明" * 40, "验证码" * 30), ("' OR 1=1 --", "%")])
def test_odd_input_is_not_found_not_an_error(certificate, number, code):
    res = APIClient().get("/api/v1/certification/verify/", {"number": number, "code": code})
    assert res.status_code == 404 and res.data["result"] == "not_found"


def test_nul_characters_are_refused_or_not_found_never_a_server_error(client, certificate):
    """PostgreSQL refuses NUL in text: the engine answers 400 before the view, API or page,
    and nothing is reported."""
    res = APIClient().get("/api/v1/certification/verify/", {"number": certificate.number + "\x00", "code": "A"})
    assert res.status_code == 400 and res.json()["code"] == "invalid"
    page = client.get("/certification/verify/", {"number": certificate.number + "\x00", "code": "\x00"})
    assert page.status_code == 400
    res = client.post("/certification/verify/", {"number": "ZS\x00", "code": "", "reporter_name": "某公司",
                                                  "reporter_contact": "138", "description": "无法核验"})
    assert res.status_code == 400

    assert not AuthenticityReport.objects.exists()


def test_lowercase_and_spaces_around_the_code_still_verify(certificate):
    assert verify(f" {certificate.number.lower()} ", f" {certificate.verification_code.lower()} ")["result"] == "valid"


def test_deploy_check_requires_a_configured_signing_key(settings, monkeypatch):
    monkeypatch.delenv("CERTIFICATION_SIGNING_KEY", raising=False)
    settings.CERTIFICATION_SIGNING_KEY = ""
    assert [e.id for e in check_signing_key()] == ["certification.E001"]
    settings.CERTIFICATION_SIGNING_KEY = "-----BEGIN PRIVATE KEY-----..."
    assert check_signing_key() == []


def test_a_holder_can_check_the_signature_offline_with_the_published_key(certificate, vol_user):
    published = APIClient().get("/api/v1/certification/public-key/").data
    client = APIClient()
    client.force_authenticate(vol_user)
    data = client.get(f"/api/v1/certification/certificates/{certificate.number}/").data
    assert data["key_id"] == published["key_id"]
    key = load_pem_public_key(published["public_key_pem"].encode())
    key.verify(base64.b64decode(data["signature"]), data["signed_content"].encode("utf-8"))  # raises if not

    assert json.loads(data["signed_content"])["total_hours"] == "6.50"

    staff = APIClient()
    staff.force_authenticate(member("mca", "staff", username="city_staff"))
    assert staff.get(f"/api/v1/certification/certificates/{certificate.number}/").data["signed_content"] is None


def test_the_public_page_shares_the_rate_limit(client, certificate, monkeypatch):
    cache.clear()
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"public_verify": "2/min"})
    url = "/certification/verify/"
    codes = [client.get(url, {"number": certificate.number, "code": f"GUESS{i:03d}"}).status_code for i in range(3)]
    assert codes == [200, 200, 429]
    assert "查询过于频繁" in client.get(url, {"number": certificate.number, "code": "X"}).content.decode()
    assert APIClient().get("/api/v1/certification/verify/", {"number": certificate.number, "code": "X"}).status_code == 429
    cache.clear()
