"""Bid secrecy (招标投标法 Art. 22, P4): before the bidding deadline nobody but the bidder learns
who bid or how many — not through the API, the pages, the case history, notifications, the
export, the OCDS releases or the admin — and another organization's bid id answers exactly like
one that does not exist."""
import io
from datetime import timedelta

import openpyxl
import pytest
from rest_framework.test import APIClient

from engine.audit.models import AuditEvent
from engine.notifications.models import Notification
from processes.procurement import services
from processes.procurement.models import Bid, Complaint
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def api(user=None):
    c = APIClient(raise_request_exception=False)
    if user is not None:
        c.force_authenticate(user)
    return c


def _everything(user, tender):
    """What ``user`` can read about ``tender`` anywhere, as one string."""
    ref = tender.reference
    c = api(user)
    text = ""
    for url in (f"{API}/procurement/tenders/", f"{API}/procurement/tenders/{ref}/",
                f"{API}/procurement/tenders/{ref}/bids/", f"{API}/procurement/tenders/{ref}/ocds/",
                f"{API}/procurement/ocds/releases/", f"{API}/cases/{ref}/", f"{API}/notifications/"):
        text += c.get(url).content.decode()
    xlsx = c.get(f"{API}/procurement/exports/results.xlsx")
    if xlsx.status_code == 200:
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
        text += " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
    return text


def test_before_the_deadline_no_one_but_the_bidder_learns_who_bid_or_how_many(client, drive, people):
    tender = drive.open_bidding()
    drive.bid(0, "90000.00")
    drive.bid(1, "91000.00")
    bidders = [people["orgs"][0], people["orgs"][1]]
    names = [o.name for o in bidders] + [u.display_name for u in people["org_users"][:2]]
    with drive.at(tender.enquiry_end + timedelta(hours=5)):
        for user in (people["staff"], people["head"], people["reviewer"], people["fin"], people["org_users"][2]):
            text = _everything(user, tender)
            assert not [n for n in names if n in text], user
            assert '"numberOfTenderers"' not in text and '"bids_at_close":2' not in text.replace(" ", "")
            assert not AuditEvent.objects.filter(reference=tender.reference, action__startswith="procurement.bid").exists()
            client.force_login(user)
            for url in (f"/workbench/procurement/{tender.reference}/", f"/workbench/tasks/case/{tender.reference}/"):
                html = client.get(url).content.decode()
                assert not [n for n in names if n in html], (user, url)
        # the bidder sees its own bid, never the other one
        own = api(people["org_users"][0]).get(f"{API}/procurement/tenders/{tender.reference}/bids/").json()
        assert [b["organization"] for b in own["results"]] == [bidders[0].pk] and own["count"] == 1
    assert not Notification.objects.exclude(user__in=people["org_users"][:2]).filter(
        reference=tender.reference, body__contains=bidders[0].name).exists()
    # after the deadline (processed) the department sees them, and the history names them
    with drive.at(tender.tender_end + timedelta(seconds=1)):
        services.chronograph_run()
        bids = api(people["head"]).get(f"{API}/procurement/tenders/{tender.reference}/bids/").json()
        assert bids["count"] == 2
        close = AuditEvent.objects.get(reference=tender.reference, action="procurement.close_bidding")
        assert sorted(b["organization"] for b in close.after["bids"]) == sorted(o.pk for o in bidders)


def test_another_organizations_bid_answers_like_a_missing_one(drive, people):
    tender = drive.open_bidding()
    bid = drive.bid(0, "90000.00")
    stranger = api(people["org_users"][1])
    with drive.at(tender.enquiry_end + timedelta(hours=3)):
        for verb, body in (("withdraw", {}), ("replace", {"price": "1.00", "content": "x"})):
            theirs = stranger.post(f"{API}/procurement/bids/{bid.pk}/{verb}/", body, format="json")
            missing = stranger.post(f"{API}/procurement/bids/{bid.pk + 1000}/{verb}/", body, format="json")
            assert theirs.status_code == missing.status_code == 404
            assert theirs.json() == missing.json()
    bid.refresh_from_db()
    assert bid.withdrawn_at is None and bid.price == 90000 and Bid.objects.count() == 1


def test_a_complaint_in_another_organizations_name_reveals_nothing(drive, people):
    """Filing for an organization one is no member of is a 403 whether or not it bid (P4)."""
    tender = drive.standstill()
    outsider = api(people["org_users"][3])  # its organization did not bid
    never_bid = OrganizationFactory(name="未投标组织")
    answers = [outsider.post(f"{API}/procurement/tenders/{tender.reference}/complaints/",
                             {"organization": org.pk, "text": "质疑"}, format="json")
               for org in (people["orgs"][0], never_bid)]
    assert [a.status_code for a in answers] == [403, 403] and answers[0].json() == answers[1].json()
    assert not Complaint.objects.exists()
