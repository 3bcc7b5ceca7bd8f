"""The applicant's members are reminded once, each in their own language, before the supplements
of a returned application are due (I1) and before an offered agreement is to be accepted (I4)."""
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from engine.cases.actions import task_complete
from engine.notifications.models import Notification
from engine.notifications.reminders import sweep
from engine.notifications.services import remember_language
from engine.workdays.calendar import add_working_days
from processes.incubation import services
from processes.incubation.reminders import returned_at, supplements_due
from tests.factories import org_user

from .conftest import open_route

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(org):
    user = org_user(org, username="inc_colleague_en")
    remember_language(user=user, language="en")
    return user


def test_supplements_reminder_once_in_each_members_language(submitted, people, applicant, colleague, settings):
    settings.INCUBATION_SUPPLEMENTS_WORKING_DAYS = 5
    task_complete(actor=people["staff"], task_id=open_route(submitted, "intake").pk, decision="return",
                  reason="缺少章程盖章页")
    returned = returned_at([submitted])[submitted.reference]
    due = supplements_due(returned)
    assert due == add_working_days(returned, 5)[0]
    assert sweep() == 0  # five working days ahead: not yet
    with time_machine.travel(due - timedelta(hours=30), tick=False):
        assert sweep() == 2
        assert sweep() == 0
    told = {n.user_id: n for n in Notification.objects.filter(kind="reminder.supplements")}
    assert set(told) == {applicant.pk, colleague.pk}
    assert told[colleague.pk].title == f"Supplements due soon: incubation application {submitted.reference}"
    assert told[applicant.pk].title == f"孵化申请 {submitted.reference} 的补正材料即将到期"
    assert told[applicant.pk].link == "/portal/incubation/"
    with time_machine.travel(due + timedelta(minutes=1), tick=False):
        assert sweep() == 0


def test_no_supplements_reminder_once_resubmitted(submitted, people, applicant):
    task_complete(actor=people["staff"], task_id=open_route(submitted, "intake").pk, decision="return",
                  reason="缺少章程盖章页")
    due = supplements_due(returned_at([submitted])[submitted.reference])
    submitted.refresh_from_db()
    services.application_submit(actor=applicant, application=submitted)
    with time_machine.travel(due - timedelta(hours=30), tick=False):
        assert sweep() == 0


def test_agreement_reminder_once_in_each_members_language(submitted, flow, applicant, colleague):
    flow.accept(submitted)
    flow.score_all(submitted)
    flow.approve(submitted)
    flow.offer(submitted)
    submitted.refresh_from_db()
    due = add_working_days(submitted.agreement_offered_at, 10)[0]
    with time_machine.travel(due - timedelta(hours=30), tick=False):
        assert sweep() == 2
        assert sweep() == 0
    told = {n.user_id: n for n in Notification.objects.filter(kind="reminder.agreement")}
    assert told[colleague.pk].title == f"Incubation agreement to accept soon: {submitted.reference}"
    assert told[colleague.pk].body.startswith("Please accept the incubation agreement by ")
    assert told[applicant.pk].title == f"孵化协议即将到期，请尽快确认：{submitted.reference}"
    services.agreement_accept(actor=applicant, application=submitted)
    with time_machine.travel(due - timedelta(hours=2), tick=False):
        assert sweep() == 0  # accepted: nothing more


def test_the_portal_shows_when_the_supplements_are_due(client, submitted, people, applicant):
    task_complete(actor=people["staff"], task_id=open_route(submitted, "intake").pk, decision="return",
                  reason="缺少章程盖章页")
    due = supplements_due(returned_at([submitted])[submitted.reference])
    client.force_login(applicant)
    page = client.get("/portal/incubation/").content.decode()
    assert f"（{timezone.localtime(due):%Y-%m-%d %H:%M} 前）" in page
