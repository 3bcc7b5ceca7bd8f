"""``manage.py timebank_reconcile`` proves the ledger balances and names the first discrepancy."""
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from processes.timebank.models import Account, Entry, LedgerTransaction

from .conftest import approved

pytestmark = pytest.mark.django_db


def test_a_balanced_ledger_passes(credited, capsys):
    call_command("timebank_reconcile")
    assert "ledger balances" in capsys.readouterr().out


def test_a_tampered_entry_is_named(credited):
    entry = Entry.objects.filter(transaction__record=credited, amount__gt=0).get()
    Entry.objects.filter(pk=entry.pk).update(amount=Decimal("9.00"))
    try:
        with pytest.raises(CommandError) as exc:
            call_command("timebank_reconcile")
    finally:
        # put it back: on PostgreSQL the deferred balance trigger would refuse the test's own end
        Entry.objects.filter(pk=entry.pk).update(amount=entry.amount)
    assert f"transaction {entry.transaction_id} (post) sums to" in str(exc.value)


def test_a_tampered_balance_is_named(credited, volunteer):
    Account.objects.filter(volunteer=volunteer).update(balance=Decimal("100.00"))
    with pytest.raises(CommandError) as exc:
        call_command("timebank_reconcile")
    assert "balance 100.00 != its entries 6.50" in str(exc.value)


def test_an_uncredited_approved_record_is_named_and_can_be_posted(manager, volunteer, activity, capsys):
    record = approved(manager, volunteer, activity, Decimal("3"))  # approved, its on-commit posting never ran
    with pytest.raises(CommandError) as exc:
        call_command("timebank_reconcile")
    assert "approved hours 3.00 but no time account" in str(exc.value)
    call_command("timebank_reconcile", "--post-missing")
    assert LedgerTransaction.objects.filter(record=record, kind="post").exists()
    assert "ledger balances" in capsys.readouterr().out
