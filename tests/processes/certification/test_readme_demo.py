"""The README's certification demo on the demo data, through the pages: the volunteer reads
their records and stars and requests a certificate in the portal, the organization issues it
and reviews the open dispute there, and anyone verifies the certificate without logging in."""
import pytest
from django.contrib.auth import get_user_model

from engine.cases.models import TaskRoute
from engine.directory import demo as directory_demo
from processes.certification import demo
from processes.certification.models import Certificate, CertificateRequest, Dispute

pytestmark = pytest.mark.django_db


def _as(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_request_issue_dispute_and_verify(client):
    directory_demo.load()
    demo.load()
    page = _as(client, "vol_li").get("/portal/certification/").content.decode()
    assert 'id="cert-hours"' in page and 'id="cert-stars"' in page
    sunshine = get_user_model().objects.get(username="org_sunshine").organizations.get()
    before = set(CertificateRequest.objects.values_list("reference", flat=True))
    response = client.post("/certification/portal/request/", {"organization": sunshine.pk, "purpose": "志愿者评优"})
    assert response.status_code == 302 and response.url == "/portal/certification/"
    (reference,) = set(CertificateRequest.objects.values_list("reference", flat=True)) - before

    page = _as(client, "org_sunshine").get("/portal/certification/").content.decode()
    assert reference in page
    route = TaskRoute.objects.open().get(reference=reference)
    client.post(f"/certification/portal/tasks/{route.pk}/", {"decision": "issue"})
    certificate = Certificate.objects.get(request__reference=reference)

    dispute = Dispute.objects.get()
    step = TaskRoute.objects.open().get(reference=dispute.reference)
    assert dispute.reference in page
    client.post(f"/certification/portal/tasks/{step.pk}/", {"decision": "uphold", "reason": "核对签到记录属实。",
                                                             "hours": "8"})
    dispute.refresh_from_db()
    assert dispute.status != "organizer_review"

    client.logout()
    answer = client.get("/certification/verify/", {"number": certificate.number, "code": certificate.verification_code})
    assert answer.status_code == 200 and certificate.number in answer.content.decode()
    assert "有效" in answer.content.decode()


def test_the_demo_school_sees_its_consenting_student_and_nobody_else(client):
    """Seed 五(一) on the demo data: 郑州一中's coordinator finds 周子涵's approved hours and none of
    the other volunteers; the education bureau sees the school's figures too."""
    directory_demo.load()
    demo.load()
    page = _as(client, "school_zz1").get("/certification/students/").content.decode()
    assert "周子涵" in page and "李小萌" not in page and "王大力" not in page
    assert "周子涵" in _as(client, "edu_staff").get("/certification/students/").content.decode()
    assert _as(client, "school_zz1").get("/workbench/").status_code in (302, 403)  # no department work
