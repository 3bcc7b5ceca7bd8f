"""Who sees records, certificates and verification codes (D1, D6, R10): the city 民政局 and
the supervising department see the register, another district's or another kind's staff see
nothing; the verification code and the PDF (which carries it) belong to the volunteer and the
issuing organization."""
from io import BytesIO

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from engine.audit.models import AuditEvent
from engine.cases.actions import task_complete
from engine.cases.errors import NotAllowed
from engine.cases.models import TaskRoute
from processes.certification.models import Certificate
from processes.certification.services.certificates import certificate_revoke
from processes.certification.services.requests import request_create
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(org, manager, volunteer, vol_user, approved_record):
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org)
    route = TaskRoute.objects.get(reference=case.reference, state__in=["open", "claimed"])
    task_complete(actor=manager, task_id=route.pk, decision="issue")
    return Certificate.objects.get(request=case)


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def listed(user, url):
    res = api(user).get(url)
    assert res.status_code == 200, res.data
    return res.data["results"]


@pytest.mark.parametrize("dept", ["mca-erqi", "fin-jinshui", "edu"])
def test_staff_of_another_district_or_kind_see_no_records_or_certificates(dept, certificate):
    outsider = member(dept, "head", username=f"out_{dept}")
    assert listed(outsider, "/api/v1/certification/records/") == []
    assert listed(outsider, "/api/v1/certification/certificates/") == []
    assert api(outsider).get(f"/api/v1/certification/certificates/{certificate.number}/").status_code == 404


def test_supervising_and_city_mca_see_the_register_without_the_code(client, certificate):
    for user in (member("mca-jinshui", "staff", username="js"), member("mca", "staff", username="city")):
        rows = listed(user, "/api/v1/certification/certificates/")
        assert [r["number"] for r in rows] == [certificate.number]
        assert rows[0]["verification_code"] is None
        assert len(listed(user, "/api/v1/certification/records/")) == 1
        client.force_login(user)
        page = client.get("/workbench/certificates/").content.decode()
        assert certificate.number in page and certificate.verification_code not in page
        assert client.get(f"/certification/certificates/{certificate.number}/pdf/").status_code == 404


def test_volunteer_and_issuing_organization_see_the_code_and_the_pdf(client, certificate, vol_user, manager):
    for user in (vol_user, manager):
        rows = listed(user, "/api/v1/certification/certificates/")
        assert rows[0]["verification_code"] == certificate.verification_code
        client.force_login(user)
        assert client.get(f"/certification/certificates/{certificate.number}/pdf/").status_code == 200
    me = api(vol_user).get("/api/v1/certification/me/").data
    assert me["certificates"][0]["verification_code"] == certificate.verification_code


def test_register_export_is_scoped_like_the_register(client, certificate):
    client.force_login(member("mca-erqi", "staff", username="erqi"))
    rows = list(load_workbook(BytesIO(client.get("/certification/register.xlsx").content)).active.values)
    assert len(rows) == 1  # the header only
    client.force_login(UserFactory())
    assert client.get("/certification/register.xlsx").status_code == 403


def test_revocation_by_supervising_or_city_mca_reviewers_only(certificate):
    for dept, role in (("mca-erqi", "head"), ("mca-jinshui", "staff"), ("fin-jinshui", "head")):
        with pytest.raises(NotAllowed):
            certificate_revoke(actor=member(dept, role, username=f"r_{dept}_{role}"), number=certificate.number,
                               reason="核查不实")
    certificate.refresh_from_db()
    assert certificate.status == "valid" and not AuditEvent.objects.filter(
        action="certification.certificate.revoke").exists()
    reviewer = member("mca-jinshui", "reviewer", username="js_rev")
    certificate_revoke(actor=reviewer, number=certificate.number, reason="核查不实")
    event = AuditEvent.objects.get(action="certification.certificate.revoke")
    assert (event.actor, event.reason, event.before, event.after) == (
        reviewer, "核查不实", {"status": "valid"}, {"status": "revoked"})


def test_city_mca_reviewer_may_revoke_too(certificate):
    cert = certificate_revoke(actor=member("mca", "reviewer", username="city_rev"), number=certificate.number,
                              reason="举报核实")
    assert cert.status == "revoked"
