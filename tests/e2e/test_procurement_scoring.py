"""In a real browser: an expert opens their scoring task from the tender page and scores every
bid on the score sheet form (no JSON); the sheets are stored and the task is done (P5, D3)."""
from datetime import timedelta

import pytest
import time_machine

from engine.directory.models import OrganizationMember
from processes.procurement import demo, services
from processes.procurement.models import ScoreSheet, Tender

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _to_evaluation():
    """The demo's tendering tender gets bids from every eligible demo organization, then closes."""
    tender = Tender.objects.get(status="tendering")
    have = set(tender.bids.values_list("organization_id", flat=True))
    with time_machine.travel(tender.tender_end - timedelta(hours=1), tick=False):
        for m in OrganizationMember.objects.exclude(organization_id__in=have).select_related("organization", "user"):
            if m.organization_id in have or not m.organization.registered:
                continue
            services.bid_submit(actor=m.user, tender_id=tender.pk, organization_id=m.organization_id,
                                price="150000.00", content="每月开展12场邻里守望活动。")
            have.add(m.organization_id)
    with time_machine.travel(tender.tender_end + timedelta(seconds=5), tick=False):
        services.chronograph_run()
    tender.refresh_from_db()
    assert tender.status == "evaluation"
    return tender


def test_expert_scores_on_the_form(browser_page, live_server, demo_data):
    demo.load()
    tender = _to_evaluation()
    bids = tender.bids.filter(withdrawn_at__isnull=True, valid=True).count()
    page = browser_page
    login(page, live_server, "expert1", demo_data["password"])
    page.goto(f"{live_server.url}/workbench/procurement/{tender.reference}/")
    page.click("#open-score-sheet")
    page.wait_for_url("**/score/")
    cards = page.locator(".score-bid")
    assert cards.count() == bids
    for i in range(bids):
        inputs = cards.nth(i).locator("input[type=number]")
        for j in range(inputs.count()):
            inputs.nth(j).fill("20")
    page.fill("textarea[name=declaration]", "本人与各投标组织无利害关系。")
    with page.expect_navigation():
        page.click("#score-form button[type=submit]")
    assert "评分已提交" in page.content()
    assert ScoreSheet.objects.filter(tender=tender, expert__username="expert1").count() == bids
