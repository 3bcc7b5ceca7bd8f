"""Enquiries under concurrency, on PostgreSQL: two clerks answering one question at once, and a
question racing the chronograph that ends the enquiry period. Each ends in success or a 409
with a code, never a 500, and the published state is whole (one answer, one audit event)."""
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command

from engine.audit.models import AuditEvent
from processes.procurement import services
from processes.procurement.models import Enquiry, Tender

from .conftest import Driver
from .test_races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    call_command("setup_demo", "--no-demo", verbosity=0)


def test_two_clerks_answer_the_same_question_once(people, budget):
    tender = Driver(people, budget).publish()
    enquiry = services.enquiry_ask(actor=people["org_users"][0], tender_id=tender.pk,
                                   organization_id=people["orgs"][0].pk, title="人数", question="多少人？")
    outcomes = race(
        lambda: services.enquiry_answer(actor=people["staff"], enquiry_id=enquiry.pk, answer="甲的答复"),
        lambda: services.enquiry_answer(actor=people["staff2"], enquiry_id=enquiry.pk, answer="乙的答复"),
    )
    assert sorted(outcomes) == ["enquiry_answered", "ok"]
    answered = Enquiry.objects.get(pk=enquiry.pk)
    winner = people["staff"] if outcomes[0] == "ok" else people["staff2"]
    assert answered.answered_by == winner and answered.answer == ("甲的答复" if outcomes[0] == "ok" else "乙的答复")
    assert AuditEvent.objects.filter(action="procurement.enquiry.answer").count() == 1


def test_a_question_racing_the_end_of_the_enquiry_period(people, budget):
    tender = Driver(people, budget).publish()
    with time_machine.travel(tender.enquiry_end + timedelta(seconds=1), tick=False):
        outcomes = race(
            lambda: services.chronograph_run(),
            lambda: services.enquiry_ask(actor=people["org_users"][0], tender_id=tender.pk,
                                         organization_id=people["orgs"][0].pk, title="晚", question="q"),
        )
    assert outcomes == ["ok", "enquiry_period_over"]
    assert Tender.objects.get(pk=tender.pk).status == Tender.Status.TENDERING
    assert not Enquiry.objects.exists()
