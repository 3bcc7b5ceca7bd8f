"""Proof that the ledger balances (T1–T4, T8), for ``manage.py timebank_reconcile``."""
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum

from processes.certification.models import Activity, ServiceRecord

from .models import ZERO, Account, Entry, LedgerTransaction, Redemption

Kind = LedgerTransaction.Kind


def _hours(value) -> Decimal:
    """A sum as hours with two places (SQLite sums decimals to floats or integers)."""
    return Decimal(str(value or 0)).quantize(ZERO)
FROM_RECORDS = (Kind.POST, Kind.REVERSE, Kind.SETTLE)


def discrepancies():
    """Yield one sentence per discrepancy, in the order checked: every transaction has two
    or more entries summing to zero (a reversal that took nothing back has none, T8); each
    volunteer account's balance is the sum of its entries and not negative; the hours credited
    from records, less the hours owed, equal the approved current service hours; open
    redemptions' holds equal the held accounts; no approved record is left uncredited."""
    sums = (LedgerTransaction.objects.annotate(n=Count("entries"), total=Sum("entries__amount"))
            .values_list("pk", "kind", "n", "total", "shortfall").order_by("pk"))
    for pk, kind, n, total, shortfall in sums.iterator():
        if n == 0 and kind == Kind.REVERSE and shortfall > 0:
            continue
        if n < 2:
            yield f"transaction {pk} ({kind}) has {n} entries"
        elif _hours(total) != 0:
            yield f"transaction {pk} ({kind}) sums to {_hours(total)}, not 0"

    entry_sums = {k: _hours(v) for k, v in Entry.objects.values("account").annotate(s=Sum("amount"))
                  .values_list("account", "s")}
    credited = defaultdict(lambda: ZERO, {k: _hours(v) for k, v in Entry.objects.filter(
        transaction__kind__in=FROM_RECORDS, account__kind=Account.Kind.VOLUNTEER)
        .values("account__volunteer").annotate(s=Sum("amount")).values_list("account__volunteer", "s")})
    approved = defaultdict(lambda: ZERO, {k: _hours(v) for k, v in ServiceRecord.objects.counting()
                           .filter(activity__category=Activity.Category.SERVICE, hours__gt=0)
                           .values("volunteer").annotate(s=Sum("hours")).values_list("volunteer", "s")})
    accounts = Account.objects.filter(kind=Account.Kind.VOLUNTEER).values_list("pk", "volunteer_id", "balance", "debt")
    seen = set()
    for pk, volunteer_id, balance, debt in accounts.order_by("pk").iterator():
        seen.add(volunteer_id)
        if balance < 0:
            yield f"account {pk} (volunteer {volunteer_id}) has a negative balance {balance}"
        if balance != entry_sums.get(pk, ZERO):
            yield f"account {pk} (volunteer {volunteer_id}) balance {balance} != its entries {entry_sums.get(pk, ZERO)}"
        if credited[volunteer_id] - debt != approved[volunteer_id]:
            yield (f"volunteer {volunteer_id}: credited {credited[volunteer_id]} less owed {debt} "
                   f"!= approved hours {approved[volunteer_id]}")
    for volunteer_id in sorted(set(approved) - seen):
        yield f"volunteer {volunteer_id}: approved hours {approved[volunteer_id]} but no time account"

    held = defaultdict(lambda: ZERO, {k: _hours(v) for k, v in Entry.objects.filter(account__kind=Account.Kind.HELD)
                       .values("account__organization").annotate(s=Sum("amount"))
                       .values_list("account__organization", "s")})
    open_holds = defaultdict(lambda: ZERO, {k: _hours(v) for k, v in Redemption.objects.filter(
        status__in=Redemption.OPEN_STATES).values("provider").annotate(s=Sum("hours")).values_list("provider", "s")})
    for org in sorted(set(held) | set(open_holds)):
        if held[org] != open_holds[org]:
            yield f"organization {org}: held {held[org]} != open redemptions {open_holds[org]}"

    missing = (ServiceRecord.objects.counting().filter(activity__category=Activity.Category.SERVICE, hours__gt=0)
               .exclude(Q(ledger_transactions__kind=Kind.POST)).values_list("pk", flat=True).order_by("pk"))
    for pk in missing[:1]:
        yield f"approved record {pk} was never credited"


def unposted_records():
    """Approved current service records without a posting (e.g. approved before the time bank)."""
    return (ServiceRecord.objects.counting().filter(activity__category=Activity.Category.SERVICE, hours__gt=Decimal(0))
            .exclude(ledger_transactions__kind=Kind.POST).values_list("pk", flat=True).order_by("pk"))
