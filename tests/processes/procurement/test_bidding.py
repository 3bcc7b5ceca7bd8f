"""Chronograph moves (idempotent), bids (P2, P4), closing with too few bids (P3)."""
from datetime import timedelta
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from engine.audit.models import AuditEvent
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.cases.models import TaskRoute
from engine.directory.models import Organization
from processes.procurement import services
from processes.procurement.models import Bid, BudgetLine
from processes.procurement.tasks import chronograph
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_chronograph_moves_at_the_deadline_once(drive):
    tender = drive.publish()
    with drive.at(tender.enquiry_end - timedelta(minutes=1)):
        assert chronograph()["open_bidding"] == 0
    assert drive.reload().status == "published"
    with drive.at(tender.enquiry_end + timedelta(minutes=1)):
        assert chronograph()["open_bidding"] == 1
        assert chronograph()["open_bidding"] == 0
        assert services.open_bidding(tender.pk) is False
    assert drive.reload().status == "tendering"
    assert AuditEvent.objects.filter(reference=tender.reference, action="procurement.open_bidding").count() == 1


def test_bids_only_while_tendering(drive, people):
    tender = drive.publish()
    with pytest.raises(StateConflict):
        services.bid_submit(actor=people["org_users"][0], tender_id=tender.pk,
                            organization_id=people["orgs"][0].pk, price="1000.00", content="早了")
    assert not Bid.objects.exists()


def test_bid_after_the_deadline_is_refused_with_a_conflict(drive, people):
    tender = drive.open_bidding()
    with drive.at(tender.tender_end + timedelta(seconds=1)):  # chronograph has not run yet
        with pytest.raises(StateConflict, match="截止"):
            services.bid_submit(actor=people["org_users"][0], tender_id=tender.pk,
                                organization_id=people["orgs"][0].pk, price="1000.00", content="晚了")
    assert not Bid.objects.exists()


@pytest.mark.parametrize("change, message", [
    ({"fiscal_funded": True}, "财政拨款"),
    ({"good_standing": False}, "信用"),
    ({"status": "dissolved"}, "注销"),
    ({"registered": False, "uscc": None}, "登记"),
])
def test_only_eligible_organizations_bid(drive, people, change, message):
    tender = drive.open_bidding()
    Organization.objects.filter(pk=people["orgs"][0].pk).update(**change)
    with pytest.raises(RuleViolation, match=message):
        drive.bid(0, "1000.00")
    assert not Bid.objects.exists() and tender.status == "tendering"


def test_member_of_another_organization_cannot_bid_for_it(drive, people):
    tender = drive.open_bidding()
    with pytest.raises(NotAllowed):
        services.bid_submit(actor=people["org_users"][1], tender_id=tender.pk,
                            organization_id=people["orgs"][0].pk, price="1000.00", content="冒名")
    with pytest.raises(NotAllowed):
        services.bid_submit(actor=people["staff"], tender_id=tender.pk,
                            organization_id=people["orgs"][0].pk, price="1000.00", content="部门")


def test_price_must_be_money_within_the_ceiling(drive):
    drive.open_bidding()
    for bad in ("100000.01", "-5", "12.345", 99.5):
        with pytest.raises(RuleViolation):
            drive.bid(0, bad)


def test_withdraw_and_replace_before_the_deadline_only(drive, people):
    tender = drive.open_bidding()
    bid = drive.bid(0, "90000.00")
    with pytest.raises(StateConflict):
        drive.bid(0, "80000.00")
    with drive.at(tender.tender_end - timedelta(hours=1)):
        new = services.bid_replace(actor=people["org_users"][0], bid_id=bid.pk, price="85000.00", content="新方案")
        with pytest.raises(StateConflict):
            services.bid_replace(actor=people["org_users"][0], bid_id=bid.pk, price="1.00", content="旧版本")
        with pytest.raises(NotFound):  # another organization's bid is answered as if it did not exist
            services.bid_withdraw(actor=people["org_users"][1], bid_id=new.pk)
    bid.refresh_from_db()
    assert bid.withdrawn_at and bid.replaced_by == new
    with drive.at(tender.tender_end + timedelta(seconds=1)):
        with pytest.raises(StateConflict):
            services.bid_withdraw(actor=people["org_users"][0], bid_id=new.pk)
    with drive.at(tender.tender_end - timedelta(minutes=5)):
        services.bid_withdraw(actor=people["org_users"][0], bid_id=new.pk)
    assert not Bid.objects.filter(withdrawn_at__isnull=True).exists()
    # kept under the bid, not the tender's reference: the case history does not name bidders (P4)
    actions = set(AuditEvent.objects.filter(object_type="procurement.bid", after__tender=tender.pk)
                  .values_list("action", flat=True))
    assert {"procurement.bid.submit", "procurement.bid.replace", "procurement.bid.withdraw"} <= actions
    assert not AuditEvent.objects.filter(reference=tender.reference, action__startswith="procurement.bid.").exists()
    # the trail of a sealed bid never holds its price
    for event in AuditEvent.objects.filter(action__startswith="procurement.bid."):
        assert "price" not in event.after and "85000" not in str(event.after)


def test_too_few_valid_bids_make_the_tender_unsuccessful_and_release_money(drive, people):
    tender = drive.open_bidding()
    drive.bid(0, "90000.00")
    drive.bid(1, "80000.00")
    with drive.at(tender.tender_end + timedelta(seconds=1)):
        chronograph()
        chronograph()
    tender = drive.reload()
    assert tender.status == "unsuccessful" and tender.bids_at_close == 2
    assert BudgetLine.objects.get().committed == Decimal("0.00")
    assert tender.flow_process.status == "DONE"


def test_bidder_losing_eligibility_before_close_is_not_counted(drive, people):
    tender = drive.open_bidding()
    for i, price in enumerate(["90000.00", "80000.00", "95000.00"]):
        drive.bid(i, price)
    Organization.objects.filter(pk=people["orgs"][2].pk).update(good_standing=False)
    with drive.at(tender.tender_end + timedelta(seconds=1)):
        chronograph()
    assert drive.reload().status == "unsuccessful"
    assert Bid.objects.get(organization=people["orgs"][2]).valid is False


def test_minimum_bids_are_a_setting(drive, settings):
    methods = settings.PROCUREMENT_METHODS
    settings.PROCUREMENT_METHODS = {**methods, "open": {**methods["open"], "min_bids": 2}}
    tender = drive.open_bidding()
    drive.bid(0, "90000.00")
    drive.bid(1, "80000.00")
    with drive.at(tender.tender_end + timedelta(seconds=1)):
        chronograph()
    assert drive.reload().status == "evaluation"


def test_cancel_during_evaluation_closes_every_expert_task(drive, people):
    tender = drive.evaluation()
    drive.score(people["experts"][0])
    services.tender_cancel(actor=people["head"], tender_id=tender.pk, reason="预算调整")
    assert not TaskRoute.objects.open().filter(reference=tender.reference).exists()
    assert drive.reload().flow_process.status == "CANCELED"
    assert BudgetLine.objects.get().committed == 0


def test_bids_of_a_tender_cancelled_before_its_close_stay_sealed(drive, people):
    tender = drive.open_bidding()
    drive.bid(0, "90000.00")
    services.tender_cancel(actor=people["staff"], tender_id=tender.pk, reason="需求变更")
    with drive.at(tender.tender_end + timedelta(days=1)):
        assert drive.reload().sealed is True


def test_a_replaced_or_withdrawn_version_is_never_opened(client, drive, people):
    """P4: after the deadline the department opens the live bids only; the version a bidder
    replaced and the bid it withdrew stay unopened everywhere (API, page, admin)."""
    tender = drive.open_bidding()
    first = drive.bid(0, "91234.56")
    withdrawn = drive.bid(3, "93456.78")
    with drive.at(tender.enquiry_end + timedelta(hours=5)):
        services.bid_replace(actor=people["org_users"][0], bid_id=first.pk, price="85000.00", content="新方案")
        services.bid_withdraw(actor=people["org_users"][3], bid_id=withdrawn.pk)
    drive.bid(1, "80000.00")
    drive.bid(2, "82000.00")
    with drive.at(tender.tender_end + timedelta(seconds=1)):
        chronograph()
        api = APIClient()
        api.force_authenticate(people["head"])
        rows = api.get(f"/api/v1/procurement/tenders/{tender.reference}/bids/").json()["results"]
        opened = {r["id"]: r["price"] for r in rows}
        assert opened[first.pk] is None and opened[withdrawn.pk] is None
        assert sorted(p for p in opened.values() if p) == ["80000.00", "82000.00", "85000.00"]
        client.force_login(people["head"])
        html = client.get(f"/workbench/procurement/{tender.reference}/").content.decode()
        assert "¥85,000.00" in html and "91,234.56" not in html and "93,456.78" not in html
        assert "已撤回，不予开启" in html
        client.force_login(UserFactory(username="p_admin", is_staff=True, is_superuser=True))
        html = client.get(f"/admin/procurement/bid/{first.pk}/change/").content.decode()
        assert "91,234.56" not in html and "已撤回，不予开启" in html
        # the bidder still sees its own earlier version
        api.force_authenticate(people["org_users"][0])
        mine = {r["id"]: r["price"] for r in api.get("/api/v1/procurement/bids/").json()["results"]}
        assert mine[first.pk] == "91234.56"
