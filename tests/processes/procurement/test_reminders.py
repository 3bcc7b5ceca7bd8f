"""Organizations are reminded once of the bidding deadline of tenders they may bid on, and of
their contract's milestones before they fall due."""
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from engine.notifications.models import Notification
from engine.notifications.reminders import sweep
from processes.procurement import services

pytestmark = pytest.mark.django_db


def test_bidding_deadline_reminder_to_eligible_organizations_without_a_bid(drive, people):
    tender = drive.open_bidding()
    drive.bid(0, "90000.00")
    people["orgs"][3].good_standing = False  # P2: may not bid, so is not reminded
    people["orgs"][3].save()
    assert sweep() == 0  # weeks ahead
    with time_machine.travel(tender.tender_end - timedelta(hours=20), tick=False):
        assert sweep() == 2
        assert sweep() == 0
    notes = Notification.objects.filter(kind="reminder.bidding")
    assert {n.user for n in notes} == {people["org_users"][1], people["org_users"][2]}
    assert all(n.title == "投标即将截止：社区志愿服务项目" and n.reference == tender.reference for n in notes)


def test_milestone_due_reminder_once(drive, people):
    tender = drive.delivery()
    due = timezone.localdate() + timedelta(days=10)
    services.milestone_add(actor=people["staff"], tender_id=tender.pk, name="一期", due_date=due, amount="1000.00")
    assert sweep() == 0
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        assert sweep() == 1
        assert sweep() == 0
    (note,) = Notification.objects.filter(kind="reminder.milestone")
    assert note.user == tender.awarded_bid.organization.members.get()
    assert note.title == "履约节点即将到期：一期"
