"""The ledger (T1–T4, T8): every movement of hours is one ``LedgerTransaction`` with two or
more entries summing to zero, written by ``move``. Hours enter only by ``record_post`` from an
approved service record; a corrected or deleted record is reversed by ``record_reverse``.

Balances are kept on volunteers' accounts only, under their row lock (T2); an organization's
accounts (issued, held, received) are sums of their entries, not kept, so postings of one
organization's many records never queue behind one shared row (DESIGN "Locks")."""
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from engine.audit.services import audit_record
from engine.cases.conflicts import as_conflict
from engine.cases.errors import NotFound, RuleViolation, StateConflict
from processes.certification.models import Activity, ServiceRecord

from ..models import ZERO, Account, Entry, LedgerTransaction

Kind = LedgerTransaction.Kind


def volunteer_account(volunteer, *, lock=True) -> Account:
    """The volunteer's time account, created on first use; locked when ``lock``."""
    account, _created = Account.objects.get_or_create(volunteer=volunteer, defaults={"kind": Account.Kind.VOLUNTEER})
    if lock:
        account = Account.objects.select_for_update().get(pk=account.pk)
    return account


def organization_account(organization, kind) -> Account:
    """An organization's system account of ``kind`` (issued, held or received); never locked."""
    account, _created = Account.objects.get_or_create(organization=organization, kind=kind)
    return account


def move(kind, legs, *, actor=None, **fields) -> LedgerTransaction:
    """T1: write one transaction of ``legs`` ((account, signed hours), …): at least two legs,
    none zero, summing to zero. A volunteer's account must be locked by the caller; its
    balance is updated and may not go below zero (T2: a 409, nothing written)."""
    legs = [(account, Decimal(amount)) for account, amount in legs]
    if len(legs) < 2 or any(amount == 0 for _a, amount in legs) or sum(a for _x, a in legs) != 0:
        raise RuleViolation(_("A ledger movement needs two or more non-zero entries that sum to zero."))
    for account, amount in legs:
        if account.kind == Account.Kind.VOLUNTEER and account.balance + amount < 0:
            raise StateConflict(_("Not enough hours in the time account: %(balance)s hours available.")
                                % {"balance": account.balance}, code="insufficient_hours")
    try:
        with transaction.atomic():
            tx = LedgerTransaction.objects.create(kind=kind, actor=actor if getattr(actor, "pk", None) else None,
                                                  **fields)
            Entry.objects.bulk_create([Entry(transaction=tx, account=a, amount=amount) for a, amount in legs])
            for account, amount in legs:
                if account.kind == Account.Kind.VOLUNTEER:
                    account.balance += amount
                    account.save(update_fields=["balance", "debt"])
    except IntegrityError as exc:
        for account, _amount in legs:  # the in-memory balances go back with the rolled-back rows
            if account.kind == Account.Kind.VOLUNTEER:
                account.refresh_from_db(fields=["balance", "debt"])
        conflict = as_conflict(exc)
        if conflict is None:
            raise
        raise conflict from None
    return tx


def postable(record) -> bool:
    """T4: a record's hours are credited when it is approved, current and not deleted, and it
    is volunteer service with hours (training, commendations and evaluations are not)."""
    return (record.status == ServiceRecord.Status.APPROVED and record.is_current and not record.is_deleted
            and record.activity.category == Activity.Category.SERVICE and record.hours > 0)


def _record(record_id) -> ServiceRecord:
    try:
        return ServiceRecord.objects.select_related("activity__organization", "volunteer").get(pk=record_id)
    except (ServiceRecord.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such record.")) from None


def _post(record, account, actor) -> LedgerTransaction:
    if not postable(record):
        raise RuleViolation(_("Only an approved, current service record credits hours."), code="not_approved")
    if LedgerTransaction.objects.filter(record=record, kind=Kind.POST).exists():
        raise StateConflict(_("The hours of this record version were already credited."), code="already_posted")
    issued = organization_account(record.activity.organization, Account.Kind.ISSUED)
    tx = move(Kind.POST, [(account, record.hours), (issued, -record.hours)], actor=actor, record=record,
              memo=record.activity.name[:200])
    _settle(account, actor)
    audit_record(actor=actor, action="timebank.ledger.post", obj=tx, reference=record.volunteer.volunteer_number,
                 after={"record": record.pk, "version": record.version, "hours": record.hours,
                        "balance": account.balance})
    return tx


@transaction.atomic
def record_post(*, record_id, actor=None) -> LedgerTransaction:
    """T4: credit an approved record version's hours to its volunteer, once. A record not
    approved (or superseded, deleted, not service) is a 400; a second posting a 409."""
    record = _record(record_id)
    account = volunteer_account(record.volunteer)
    return _post(record, account, actor)


def _settle(account, actor):
    """T8: hours owed are paid back first from any new credit, to the organization whose
    correction left the debt."""
    if account.debt <= 0 or account.balance <= 0:
        return None
    owed = (LedgerTransaction.objects.filter(kind=Kind.REVERSE, shortfall__gt=0, record__volunteer=account.volunteer)
            .select_related("record__activity__organization").order_by("-created_at", "-pk").first())
    amount = min(account.debt, account.balance)
    issued = organization_account(owed.record.activity.organization, Account.Kind.ISSUED)
    account.debt -= amount
    return move(Kind.SETTLE, [(account, -amount), (issued, amount)], actor=actor, memo=_("Hours owed settled"))


@transaction.atomic
def record_reverse(*, record_id, replacement_id=None, actor=None) -> LedgerTransaction | None:
    """T8: a corrected (R6) or deleted (R13) record version gives its hours back. The new
    version, if any, is credited first; then the old posting is reversed as far as the balance
    allows. Hours already spent cannot be taken back: the reversal takes the whole balance and
    the rest is recorded as hours owed (``Account.debt``), which block redemption and are
    settled first from the next credit. The balance never goes below zero. Nothing to reverse
    (never credited) returns None; a second reversal is a 409."""
    old = _record(record_id)
    if old.is_current and not old.is_deleted:
        raise RuleViolation(_("Only a corrected or deleted record is reversed."), code="still_current")
    account = volunteer_account(old.volunteer)
    if replacement_id is not None:
        new = _record(replacement_id)
        if new.previous_id != old.pk:
            raise RuleViolation(_("The replacement is not the next version of the record."))
        if postable(new) and not LedgerTransaction.objects.filter(record=new, kind=Kind.POST).exists():
            _post(new, account, actor)
    posting = LedgerTransaction.objects.filter(record=old, kind=Kind.POST).first()
    if posting is None:
        return None
    if LedgerTransaction.objects.filter(record=old, kind=Kind.REVERSE).exists():
        raise StateConflict(_("This record version was already reversed."), code="already_reversed")
    credited = posting.entries.get(account=account).amount
    taken = min(credited, account.balance)
    shortfall = credited - taken
    issued = organization_account(old.activity.organization, Account.Kind.ISSUED)
    account.debt += shortfall
    if taken > 0:
        tx = move(Kind.REVERSE, [(account, -taken), (issued, taken)], actor=actor, record=old, shortfall=shortfall,
                  memo=old.activity.name[:200])
    else:  # everything was spent: nothing moves, the debt is recorded
        tx = LedgerTransaction.objects.create(kind=Kind.REVERSE, record=old, shortfall=shortfall, memo=old.activity.name[:200],
                                              actor=actor if getattr(actor, "pk", None) else None)
        account.save(update_fields=["debt"])
    audit_record(actor=actor, action="timebank.ledger.reverse", obj=tx, reference=old.volunteer.volunteer_number,
                 before={"record": old.pk, "credited": credited},
                 after={"taken_back": taken, "owed": shortfall, "balance": account.balance, "debt": account.debt})
    return tx


def after_approval(record) -> None:
    """The certification process's one call when a record is approved: credit it once the
    approval is committed (T4). Idempotent: a record already credited is left alone."""
    record_id = record.pk
    transaction.on_commit(lambda: _quietly(record_post, record_id=record_id, actor=None))


def after_correction(old, new=None, actor=None) -> None:
    """The certification process's one call when a record is corrected (R6) or deleted (R13):
    reverse the old version and credit the new one after the commit (T8)."""
    old_id, new_id = old.pk, getattr(new, "pk", None)
    transaction.on_commit(lambda: _quietly(record_reverse, record_id=old_id, replacement_id=new_id, actor=actor))


def _quietly(service, **kwargs):
    """Posting after a commit must not fail the request that approved: a record not to be
    credited or already credited is skipped; anything missed is reported (and can be
    posted) by ``manage.py timebank_reconcile``."""
    try:
        service(**kwargs)
    except (RuleViolation, StateConflict, NotFound):
        pass


def balance_of(account) -> Decimal:
    return account.balance if account else ZERO
