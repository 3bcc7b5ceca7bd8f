"""T1–T4, T8: hours enter the ledger only from approved records, once per record version; a
correction reverses and re-posts; hours already spent become hours owed."""
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from engine.audit.models import AuditEvent
from engine.cases.errors import RuleViolation, StateConflict
from processes.certification.models import ServiceRecord
from processes.certification.services.registry import record_correct, record_delete
from processes.timebank.models import Account, Entry, LedgerTransaction
from processes.timebank.reconcile import discrepancies
from processes.timebank.services.exchange import redeem
from processes.timebank.services.ledger import record_post

from .conftest import approved, make_activity, signed

pytestmark = pytest.mark.django_db


def _account(volunteer):
    return Account.objects.get(volunteer=volunteer)


def test_approval_credits_the_hours_after_commit_with_two_entries(credited, volunteer):
    account = _account(volunteer)
    assert account.balance == Decimal("6.50")
    tx = LedgerTransaction.objects.get(record=credited, kind="post")
    amounts = sorted(e.amount for e in tx.entries.all())
    assert amounts == [Decimal("-6.50"), Decimal("6.50")]
    assert tx.entries.get(amount__lt=0).account.kind == Account.Kind.ISSUED
    assert AuditEvent.objects.filter(action="timebank.ledger.post", object_id=str(tx.pk)).exists()
    assert list(discrepancies()) == []


def test_approval_without_commit_credits_nothing(manager, volunteer, activity):
    approved(manager, volunteer, activity, Decimal("3"))  # the on-commit hook never ran
    assert not Account.objects.filter(volunteer=volunteer, balance__gt=0).exists()
    assert next(iter(discrepancies())).startswith("volunteer")


def test_a_record_not_approved_is_never_posted(manager, volunteer, activity):
    pending = signed(volunteer, activity, Decimal("3"), by=manager)
    assert pending.status == ServiceRecord.Status.PENDING
    with pytest.raises(RuleViolation) as exc:
        record_post(record_id=pending.pk)
    assert exc.value.code == "not_approved"
    assert not LedgerTransaction.objects.exists()
    assert not Entry.objects.exists()


def test_double_posting_is_refused_and_the_constraint_backs_it(credited, volunteer):
    with pytest.raises(StateConflict) as exc:
        record_post(record_id=credited.pk)
    assert exc.value.code == "already_posted"
    assert _account(volunteer).balance == Decimal("6.50")
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerTransaction.objects.create(kind="post", record=credited)


def _correct(manager, record, hours, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        locked = ServiceRecord.objects.select_for_update().select_related("activity", "volunteer").get(pk=record.pk)
        return record_correct(actor=manager, record=locked, hours=hours, reason="核实后更正")


def test_correction_before_spending_reverses_and_reposts(credited, volunteer, manager,
                                                         django_capture_on_commit_callbacks):
    new = _correct(manager, credited, "4", django_capture_on_commit_callbacks)
    account = _account(volunteer)
    assert account.balance == Decimal("4.00") and account.debt == 0
    assert LedgerTransaction.objects.get(record=credited, kind="reverse").shortfall == 0
    assert LedgerTransaction.objects.filter(record=new, kind="post").exists()
    assert list(discrepancies()) == []


def test_correction_after_spending_records_hours_owed_and_blocks_redemption(
        credited, volunteer, vol_user, manager, org, service, django_capture_on_commit_callbacks):
    redeem(actor=vol_user, service_id=service.pk)  # 2 of 6.5 held: 4.5 left
    redeem(actor=vol_user, service_id=service.pk)  # 2.5 left
    _correct(manager, credited, "1", django_capture_on_commit_callbacks)
    account = _account(volunteer)
    # +1 for the new version (3.5), then 6.5 to take back: 3.5 taken, 3 owed; never below zero
    assert account.balance == Decimal("0.00")
    assert account.debt == Decimal("3.00")
    assert LedgerTransaction.objects.get(record=credited, kind="reverse").shortfall == Decimal("3.00")
    assert list(discrepancies()) == []
    with pytest.raises(StateConflict) as exc:
        redeem(actor=vol_user, service_id=service.pk)
    assert exc.value.code == "hours_owed"

    # the next credit settles the debt first (T8)
    other = make_activity(org, manager, name="第二次活动", hours=8, days_ago=2)
    with django_capture_on_commit_callbacks(execute=True):
        approved(manager, volunteer, other, Decimal("5"))
    account.refresh_from_db()
    assert (account.balance, account.debt) == (Decimal("2.00"), Decimal("0.00"))
    assert LedgerTransaction.objects.filter(kind="settle").count() == 1
    assert list(discrepancies()) == []


def test_deleting_a_record_whose_hours_were_all_spent_moves_nothing_and_owes_all(
        credited, volunteer, vol_user, manager, service, django_capture_on_commit_callbacks):
    service.hours = Decimal("6.5")
    service.save()
    redeem(actor=vol_user, service_id=service.pk)
    with django_capture_on_commit_callbacks(execute=True):
        record_delete(actor=manager, record_id=credited.pk, reason="重复录入")
    account = _account(volunteer)
    assert account.balance == 0 and account.debt == Decimal("6.50")
    reversal = LedgerTransaction.objects.get(record=credited, kind="reverse")
    assert reversal.shortfall == Decimal("6.50") and not reversal.entries.exists()
    assert list(discrepancies()) == []


def test_deleting_a_credited_record_takes_its_hours_back(credited, volunteer, manager,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record_delete(actor=manager, record_id=credited.pk, reason="重复录入")
    assert _account(volunteer).balance == 0
    assert list(discrepancies()) == []


def test_training_hours_are_not_credited(manager, volunteer, org, django_capture_on_commit_callbacks):
    training = make_activity(org, manager, name="培训")
    training.category = "training"
    training.save()
    with django_capture_on_commit_callbacks(execute=True):
        approved(manager, volunteer, training, Decimal("2"))
    assert not LedgerTransaction.objects.exists()
    assert list(discrepancies()) == []
