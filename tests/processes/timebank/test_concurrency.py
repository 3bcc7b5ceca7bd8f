"""T2 under concurrency: many redemptions at once against one balance never overdraw it.
PostgreSQL only (real row locks)."""
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from engine.cases.errors import StateConflict
from processes.certification.services.attendance import sign_in, sign_out
from processes.certification.services.registry import activity_create, record_approve, volunteer_register
from processes.timebank.models import Account, Redemption
from processes.timebank.reconcile import discrepancies
from processes.timebank.services.exchange import redeem, service_publish
from processes.timebank.services.ledger import record_post
from tests.factories import OrganizationFactory, UserFactory, org_user

from .conftest import id_number

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 8


def test_many_redemptions_against_one_balance_never_overdraw_it():
    call_command("setup_demo", "--no-demo", verbosity=0)


    org = OrganizationFactory(name="并发时间银行协会")
    manager = org_user(org, username="tb_race_mgr")
    user = UserFactory(username="tb_race_vol")
    volunteer = volunteer_register(actor=user, user=user, real_name="并发志愿者", id_number=id_number(31))
    end = timezone.now() - timedelta(days=1)
    activity = activity_create(actor=manager, organization=org, name="并发活动", place="郑州",
                               start_at=end - timedelta(hours=8), end_at=end, person_in_charge="负责人")
    with time_machine.travel(activity.start_at, tick=False):
        sign_in(actor=user, volunteer=volunteer, activity=activity)
    with time_machine.travel(activity.start_at + timedelta(hours=5), tick=False):
        record = sign_out(actor=user, volunteer=volunteer, activity=activity)
    record_approve(actor=manager, record_id=record.pk)  # its on-commit posting runs: 5 hours
    if not Account.objects.filter(volunteer=volunteer, balance=Decimal("5.00")).exists():
        record_post(record_id=record.pk)
    service = service_publish(actor=manager, provider_id=org.pk, title="上门理发", hours="2")

    barrier = threading.Barrier(ATTEMPTS)
    won, refused, errors = [], [], []

    def attempt():
        try:
            barrier.wait(timeout=20)
            won.append(redeem(actor=user, service_id=service.pk).reference)
        except StateConflict as exc:
            refused.append(exc.code)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(ATTEMPTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(won) == 2  # 5 hours pay for two services of 2 hours, never three
    assert len(refused) == ATTEMPTS - 2 and set(refused) == {"insufficient_hours"}
    assert Account.objects.get(volunteer=volunteer).balance == Decimal("1.00")
    assert Redemption.objects.filter(status="held").count() == 2
    assert list(discrepancies()) == []
