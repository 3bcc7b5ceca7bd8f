"""In a real browser: an organization finds a tender in its enquiry period among the public
notices and asks a question; the purchasing department's clerk answers it from the workbench's
enquiry list; anyone then reads the answer on the public notice, without the asker's name, at
desktop width and at 390 px without sideways scrolling. Screenshots are kept in
``shots`` (tests/e2e/conftest.py)."""

import pytest

from processes.procurement import demo
from processes.procurement.models import Enquiry, Tender

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_organization_asks_staff_answer_and_the_answer_is_public(browser_page, live_server, demo_data, shots):
    demo.load()  # through the services: one tender is in its enquiry period
    tender = Tender.objects.get(status="published")
    page = browser_page

    login(page, live_server, "org_redplum", demo_data["password"])
    page.goto(f"{live_server.url}/procurement/tenders/?phase=enquiry")
    assert "招标公告" in page.title()
    page.click(f"tr.notice[data-reference='{tender.reference}'] td a >> nth=0")
    page.wait_for_url(f"**/procurement/tenders/{tender.reference}/")
    page.fill("#ask-title", "志愿者保险")
    page.fill("#ask-question", "服务期间志愿者的意外保险是否由承接组织购买？")
    page.screenshot(path=str(shots / "1-organization-asks.png"), full_page=True)
    with page.expect_navigation():
        page.click("#ask-form button[type=submit]")
    assert "问题已提交给采购部门" in page.content()
    assert "服务期间志愿者的意外保险" in page.locator("#enquiries").inner_text()
    enquiry = Enquiry.objects.get(title="志愿者保险")

    page.context.clear_cookies()
    login(page, live_server, "mca_staff", demo_data["password"])
    page.goto(f"{live_server.url}/workbench/procurement/enquiries/?state=unanswered")
    row = page.locator(f"tr.enquiry-row[data-enquiry='{enquiry.pk}']")
    assert "红梅志愿服务社" in row.inner_text()  # the department sees who asked
    row.locator("textarea[name=answer]").fill("由承接组织为参与服务的志愿者购买意外伤害保险，费用计入报价。")
    page.screenshot(path=str(shots / "2-department-answers.png"), full_page=True)
    with page.expect_navigation():
        row.locator("button").click()
    assert "答复已公开" in page.content()
    assert Enquiry.objects.get(pk=enquiry.pk).is_answered

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/procurement/tenders/{tender.reference}/")
    answered = page.locator(f"#enquiry-{enquiry.pk}")
    assert "费用计入报价" in answered.inner_text()
    assert "红梅志愿服务社" not in page.locator("main").inner_text()
    page.screenshot(path=str(shots / "3-public-answer.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    for url in (f"/procurement/tenders/{tender.reference}/", "/procurement/tenders/"):
        page.goto(f"{live_server.url}{url}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
    page.screenshot(path=str(shots / "4-public-list-390px.png"), full_page=True)
    page.goto(f"{live_server.url}/procurement/tenders/{tender.reference}/")
    page.screenshot(path=str(shots / "5-public-notice-390px.png"), full_page=True)
