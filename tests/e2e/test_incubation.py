"""In a real browser: base staff claim an intake task from the department queue, return it for
supplements with a reason, the organization sees "已退回" and the reason in its portal, uploads the
missing document there and resubmits (I1)."""
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model

from engine.directory.models import Department, Organization
from engine.documents.models import Document
from engine.documents.samples import pdf_bytes
from processes.incubation import services
from processes.incubation.models import IncubationApplication, Status

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REASON = "请补充理事会成员名单和近一年活动记录"


def test_staff_return_for_supplements_and_organization_sees_it(browser_page, live_server, demo_data):
    User = get_user_model()
    applicant = User.objects.get(username="org_green")
    case = services.application_create(
        actor=applicant, organization=Organization.objects.get(members=applicant),
        base=Department.objects.get(code="base-city"), plan="青年志愿者能力提升", documents=["章程.pdf"])
    services.application_submit(actor=applicant, application=case)
    page = browser_page

    login(page, live_server, "base_staff", demo_data["password"])
    page.goto(f"{live_server.url}/workbench/tasks/queue/")
    # The workbench navigates with Turbo: wait for what the next page shows, not for a load.
    page.click(f"text={case.reference}")
    page.wait_for_url("**/workbench/tasks/task/**")
    page.locator(".incubation-summary").wait_for()
    assert "受理审查" in page.content()
    page.click("button[value=claim]")
    page.locator("button[value=release]").wait_for()  # offered once the task is held
    assert "林芳（市孵化基地工作人员）" in page.content()
    page.fill("#id_reason", REASON)
    page.click("#decision-form button[value=return]")
    page.wait_for_url(lambda url: urlsplit(url).path == "/workbench/tasks/queue/")  # back to the queue it came from
    case.refresh_from_db()
    assert case.status == Status.RETURNED

    page.context.clear_cookies()
    login(page, live_server, "org_green", demo_data["password"])
    page.goto(f"{live_server.url}/portal/incubation/")
    row = page.locator(f"tr.incubation-application[data-reference='{case.reference}']")
    assert "已退回" in row.inner_text()
    assert REASON in row.locator(".return-reason").inner_text()
    assert IncubationApplication.objects.get(pk=case.pk).return_reason == REASON

    # The organization uploads the missing list on the application's documents page and resubmits (I1).
    with page.expect_navigation():
        page.click(f"a[href='/incubation/{case.reference}/documents/']")
    panel = page.locator(f"#documents-{case.reference}")
    panel.locator("select[name=kind]").select_option("board_members")
    panel.locator("input[name=files]").set_input_files(
        [{"name": "理事会成员名单.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Board members")}])
    with page.expect_navigation():
        panel.locator("form.zy-upload button[type=submit]").last.click()
    assert "理事会成员名单.pdf" in page.locator(f"#documents-{case.reference}").inner_text()
    page.goto(f"{live_server.url}/portal/incubation/")
    row = page.locator(f"tr.incubation-application[data-reference='{case.reference}']")
    with page.expect_navigation():
        row.locator("button[name=submit]").click()
    row = page.locator(f"tr.incubation-application[data-reference='{case.reference}']")
    assert "受理审查中" in row.inner_text() and "受理审查（" in row.inner_text()
    case = IncubationApplication.objects.get(pk=case.pk)
    assert case.status == Status.INTAKE_CHECK
    assert list(Document.objects.filter(reference=case.reference).values_list("kind", flat=True)) == ["board_members"]
