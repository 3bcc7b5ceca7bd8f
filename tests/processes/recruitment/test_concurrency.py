"""Many volunteers signing up at once for the last place (PostgreSQL): the slot's row lock gives
it to exactly one; the others are wait-listed in order; nobody gets a 500."""
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from engine.cases.errors import DomainError
from processes.recruitment.models import SignUp
from processes.recruitment.services.signups import signup_create
from tests.factories import OrganizationFactory, org_user

from .conftest import coming_activity, person, publish


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_volunteers_signing_up_for_the_last_place_get_exactly_one_place():
    call_command("setup_demo", "--no-demo", verbosity=0)
    org = OrganizationFactory()
    manager = org_user(org, username="rc_race_mgr")
    recruitment = publish(manager, coming_activity(org, manager), places=2)
    slot = recruitment.slots.get()
    signup_create(actor=person(90), slot_id=slot.pk)  # one place left
    users = [person(n) for n in range(91, 99)]
    barrier, outcomes = threading.Barrier(len(users)), []

    def go(user):
        try:
            barrier.wait()
            outcomes.append(signup_create(actor=user, slot_id=slot.pk).status)
        except DomainError as exc:  # a refusal, never an unhandled error
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(u,)) for u in users]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(outcomes) == ["applied"] + ["waitlisted"] * (len(users) - 1)
    assert SignUp.objects.filter(slot=slot, status__in=SignUp.HOLDING).count() == 2
    waiting = list(SignUp.objects.filter(slot=slot, status="waitlisted").order_by("created_at", "pk"))
    assert len(waiting) == len(users) - 1
