"""In a real browser: a finance reviewer claims a tender's award review from the 财政局 queue and
approves it (P6); the winning organization then sees its bid as awarded in the portal."""
from urllib.parse import urlsplit

import pytest

from engine.directory.models import OrganizationMember
from processes.procurement import demo
from processes.procurement.models import Tender

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_finance_approves_award_and_organization_sees_it_awarded(browser_page, live_server, demo_data):
    demo.load()  # through the services: one tender waits for finance's award review
    tender = Tender.objects.select_related("awarded_bid__organization").get(status="award_review")
    winner = tender.awarded_bid.organization
    winner_user = OrganizationMember.objects.filter(organization=winner).select_related("user").first().user
    loser_user = next(
        m.user for m in OrganizationMember.objects.filter(
            organization__procurement_bids__tender=tender).exclude(organization=winner).select_related("user")
    )
    reference = tender.reference

    page = browser_page
    login(page, live_server, "fin_reviewer", demo_data["password"])
    page.goto(f"{live_server.url}/workbench/tasks/queue/")
    page.click(f"text={reference}")
    page.wait_for_url("**/workbench/tasks/task/**")
    page.locator(".procurement-summary").wait_for()
    assert "财政审核中标结果" in page.content()
    assert page.locator("tr.proposed-award").inner_text().count(winner.name) == 1
    page.click("button[value=claim]")
    page.locator("button[value=release]").wait_for()
    assert "刘洋（市财政局审核）" in page.content()
    page.click("#decision-form button[value=approve]")
    page.wait_for_url(lambda url: urlsplit(url).path == "/workbench/tasks/queue/")  # back to the queue it came from
    assert Tender.objects.get(pk=tender.pk).status == "standstill"

    page.context.clear_cookies()
    login(page, live_server, winner_user.username, demo_data["password"])
    page.goto(f"{live_server.url}/portal/procurement/")
    row = page.locator(f"tr.procurement-bid[data-reference='{reference}']")
    assert "已中标" in row.locator(".bid-standing").inner_text()

    page.context.clear_cookies()
    login(page, live_server, loser_user.username, demo_data["password"])
    page.goto(f"{live_server.url}/portal/procurement/")
    row = page.locator(f"tr.procurement-bid[data-reference='{reference}']")
    assert "未中标" in row.locator(".bid-standing").inner_text()
