"""In a real browser: a volunteer requests a certificate in the portal, the organization
issues it from its portal tasks, and the public page verifies it through its QR link (R7–R10)."""
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from engine.directory.models import Organization
from processes.certification.models import Certificate, CertificateRequest
from processes.certification.pdf import verification_url
from processes.certification.services.attendance import sign_in, sign_out
from processes.certification.services.registry import (
    activity_create,
    record_approve,
    volunteer_register,
)
from tests.processes.certification.conftest import id_number

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def volunteer_with_hours(demo_data, tmp_path, settings):
    settings.CERTIFICATION_DEV_KEY_PATH = tmp_path / "key.pem"
    User = get_user_model()
    li, manager = User.objects.get(username="vol_li"), User.objects.get(username="org_sunshine")
    org = Organization.objects.get(members=manager)
    volunteer = volunteer_register(actor=li, user=li, real_name="李小萌", id_number=id_number(21))
    end = timezone.now() - timedelta(days=2)
    activity = activity_create(actor=manager, organization=org, name="敬老院陪伴", place="金水区",
                               start_at=end - timedelta(hours=6), end_at=end, person_in_charge="钱多多")
    with time_machine.travel(activity.start_at, tick=False):  # R12: hours come from signing in and out
        sign_in(actor=li, volunteer=volunteer, activity=activity)
    with time_machine.travel(activity.start_at + timedelta(hours=5.5), tick=False):
        record = sign_out(actor=li, volunteer=volunteer, activity=activity)
    record_approve(actor=manager, record_id=record.pk)
    return org


def test_volunteer_requests_organization_issues_public_page_verifies(browser_page, live_server, demo_data,
                                                                     volunteer_with_hours):
    page = browser_page
    login(page, live_server, "vol_li", demo_data["password"])
    page.goto(f"{live_server.url}/portal/certification/")
    page.locator("#cert-volunteer").wait_for()
    assert "5.50" in page.locator("#cert-hours").inner_text()
    page.select_option("#cert-org", str(volunteer_with_hours.pk))
    page.fill("#cert-purpose", "求职")
    with page.expect_navigation():
        page.click("#cert-request-submit")
    assert "已提交" in page.content()
    case = CertificateRequest.objects.get()

    page.context.clear_cookies()
    login(page, live_server, "org_sunshine", demo_data["password"])
    page.goto(f"{live_server.url}/portal/certification/")
    row = page.locator(f"#cert-org tr[data-reference='{case.reference}']")
    with page.expect_navigation():
        row.locator("button[value=issue]").click()
    assert "已办理" in page.content()
    cert = Certificate.objects.get()
    assert CertificateRequest.objects.get(pk=case.pk).status == "issued"

    page.context.clear_cookies()
    login(page, live_server, "vol_li", demo_data["password"])
    page.goto(f"{live_server.url}/portal/certification/")
    row = page.locator(f"#cert-certificates tr[data-number='{cert.number}']")
    pdf = page.request.get(live_server.url + row.locator("a", has_text="PDF").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    link = row.locator("a.verify-link").get_attribute("href")
    assert link == verification_url(cert, live_server.url + "/")  # what the PDF's QR code encodes
    page.context.clear_cookies()  # the public page needs no login
    page.goto(link)
    result = page.locator("#verify-result")
    assert result.get_attribute("data-result") == "valid"
    assert "5.50" in page.locator("#verify-hours").inner_text()
    assert "李*萌" in result.inner_text()
    # a wrong code gets the same answer as an unknown number (R10: no oracle)
    page.goto(link.replace(cert.verification_code, "AAAAAAAA"))
    wrong = page.locator("#verify-result").inner_text()
    page.goto(f"{live_server.url}/certification/verify/?number=ZS-1999-000001&code=AAAAAAAA")
    assert page.locator("#verify-result").get_attribute("data-result") == "not_found"
    assert page.locator("#verify-result").inner_text() == wrong
