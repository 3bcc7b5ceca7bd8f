"""Invited organizations' members read the invitation in their own language, whatever language
the department's staff member who published the tender works in."""
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from engine.notifications.models import Notification
from engine.notifications.services import remember_language

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("acting_language", ["zh-hans", "en"])
def test_an_invitation_reaches_each_invitee_in_their_language(
        acting_language, drive, people, django_capture_on_commit_callbacks):
    english, chinese = people["org_users"][0], people["org_users"][1]
    remember_language(user=english, language="en")
    now = timezone.now()
    drive.create(method="invited", enquiry_end=now + timedelta(days=2), tender_end=now + timedelta(days=25),
                 invitees=[o.pk for o in people["orgs"][:3]])
    with translation.override(acting_language), django_capture_on_commit_callbacks(execute=True):
        tender = drive.open_bidding()
    told = {n.user_id: n for n in Notification.objects.filter(reference=tender.reference, kind="procurement",
                                                              user__in=[english, chinese])}
    assert told[english.pk].title == f"Invitation to bid: {tender.name}"
    assert told[english.pk].body.startswith("Bidding deadline: ")
    assert told[chinese.pk].title == f"邀请投标：{tender.name}"
    assert told[chinese.pk].body.startswith("投标截止")
