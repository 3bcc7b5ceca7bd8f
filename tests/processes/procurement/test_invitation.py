"""邀请招标 and 单一来源 (P3): the department names the organizations that may bid; only they see
the tender among those open to them and only they can bid (P2: each invitee eligible)."""
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from engine.audit.models import AuditEvent
from engine.cases.errors import NotAllowed, RuleViolation
from engine.notifications.models import Notification
from processes.procurement import services
from processes.procurement.models import Bid, Tender

pytestmark = pytest.mark.django_db


def _invited(drive, people, method="invited", invitees=None):
    now = timezone.now()
    return drive.create(method=method, enquiry_end=now + timedelta(days=2), tender_end=now + timedelta(days=25),
                        invitees=invitees if invitees is not None else [o.pk for o in people["orgs"][:3]])


def test_invitation_methods_need_enough_eligible_invitees_and_open_ones_none(drive, people):
    with pytest.raises(RuleViolation, match="不少于3家"):
        _invited(drive, people, invitees=[people["orgs"][0].pk, people["orgs"][1].pk])
    people["orgs"][2].good_standing = False
    people["orgs"][2].save()
    with pytest.raises(RuleViolation, match="符合承接条件"):
        _invited(drive, people)
    with pytest.raises(RuleViolation, match="不指定受邀组织"):
        drive.create(invitees=[people["orgs"][0].pk])
    with pytest.raises(RuleViolation):
        _invited(drive, people, invitees=["x"])
    assert not Tender.objects.exists()
    tender = _invited(drive, people, method="single_source", invitees=[people["orgs"][3].pk])
    assert list(tender.invitees.values_list("pk", flat=True)) == [people["orgs"][3].pk]
    assert AuditEvent.objects.get(reference=tender.reference, action="procurement.create").after["invitees"] == [people["orgs"][3].pk]


def test_only_invited_organizations_see_and_bid(client, drive, people, django_capture_on_commit_callbacks):
    _invited(drive, people)
    with django_capture_on_commit_callbacks(execute=True):
        tender = drive.open_bidding()
    outsider, insider = people["org_users"][3], people["org_users"][0]
    told = set(Notification.objects.filter(reference=tender.reference, title__startswith="邀请投标").values_list("user", flat=True))
    assert told == {u.pk for u in people["org_users"][:3]}
    with drive.at(tender.enquiry_end + timedelta(hours=1)):
        with pytest.raises(NotAllowed, match="受邀组织"):
            services.bid_submit(actor=outsider, tender_id=tender.pk, organization_id=people["orgs"][3].pk,
                                price="1000.00", content="方案")
        api = APIClient()
        api.force_authenticate(outsider)
        r = api.post("/api/v1/procurement/bids/", {"tender": tender.reference, "organization": people["orgs"][3].pk,
                                                   "price": "1000.00", "content": "方案"}, format="json")
        assert r.status_code == 403 and r.json()["code"] == "not_invited"
        client.force_login(outsider)
        assert tender.reference not in client.get("/portal/procurement/").content.decode()
        assert client.get(f"/procurement/tenders/{tender.reference}/bid/").status_code == 404
        client.force_login(insider)
        assert tender.reference in client.get("/portal/procurement/").content.decode()
        r = client.post(f"/procurement/tenders/{tender.reference}/bid/",
                        {"organization": people["orgs"][0].pk, "price": "90000.00", "content": "受邀方案"})
        assert r.status_code == 302
    assert list(Bid.objects.values_list("organization", flat=True)) == [people["orgs"][0].pk]


def test_changing_the_method_of_a_draft_checks_the_invitees_again(drive, people):
    tender = drive.create()
    with pytest.raises(RuleViolation, match="不少于3家"):
        services.tender_update(actor=people["staff"], tender_id=tender.pk, method="invited")
    tender = services.tender_update(actor=people["staff"], tender_id=tender.pk, method="invited",
                                    invitees=[o.pk for o in people["orgs"][:3]])
    assert tender.invitees.count() == 3
    tender = services.tender_update(actor=people["staff"], tender_id=tender.pk, method="open")
    assert tender.invitees.count() == 0
