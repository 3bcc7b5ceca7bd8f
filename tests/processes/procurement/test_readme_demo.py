"""The README's procurement demo on the demo data, through the pages: the finance reviewer
finds a pre-check and an award review in the queue and decides both; organizations see the
tenders open to them and their bids' results in the portal; the OCDS releases are published."""
import pytest
from django.contrib.auth import get_user_model

from engine.cases.models import TaskRoute
from engine.directory import demo as directory_demo
from processes.procurement import demo
from processes.procurement.models import Tender

pytestmark = pytest.mark.django_db


def _as(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _decide(client, route, decision):
    client.post(route.get_absolute_url(), {"action": "claim"})
    response = client.post(route.get_absolute_url(), {"action": "complete", "decision": decision})
    assert response.status_code == 302
    assert [str(m) for m in response.wsgi_request._messages if m.level_tag == "error"] == []


def test_the_finance_reviewer_decides_and_organizations_follow_in_the_portal(client):
    directory_demo.load()
    demo.load()
    precheck = Tender.objects.get(status=Tender.Status.FINANCE_PRECHECK)
    award = Tender.objects.get(status=Tender.Status.AWARD_REVIEW)
    queue = _as(client, "fin_reviewer").get("/workbench/tasks/queue/").content.decode()
    assert precheck.reference in queue and award.reference in queue

    _decide(client, TaskRoute.objects.open().get(reference=precheck.reference, node="precheck"), "approve")
    precheck.refresh_from_db()
    assert precheck.status != Tender.Status.FINANCE_PRECHECK and precheck.published_at is not None
    _decide(client, TaskRoute.objects.open().get(reference=award.reference, node="award_review"), "approve")
    award.refresh_from_db()
    assert award.status == Tender.Status.STANDSTILL

    open_tender = Tender.objects.get(status=Tender.Status.TENDERING)
    pages = {username: _as(client, username).get("/portal/procurement/").content.decode()
             for username in ("org_sunshine", "org_green")}
    assert any(open_tender.reference in page for page in pages.values())
    bidders = get_user_model().objects.filter(organizations__procurement_bids__tender=award).distinct()
    assert bidders.exists()
    for user in bidders:
        page = pages.get(user.username) or _as(client, user.username).get("/portal/procurement/").content.decode()
        assert award.reference in page
    ocds = client.get("/api/v1/procurement/ocds/releases/")
    assert ocds.status_code == 200 and ocds.json()["releases"]
