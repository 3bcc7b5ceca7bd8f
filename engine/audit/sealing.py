"""Sealing: put appended events in a gap-free, chained order, then checkpoint them (D4).

One sealing run at a time (it locks the chain head, which no writer touches): it takes the
events not sealed yet in ``seq`` order, links each to the previous seal, and after the commit
appends the new seals to the signed checkpoint file. An event whose transaction commits after a
later one was sealed is simply sealed in the next run: the chain records the order of sealing.
"""
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from . import checkpoints
from .chain import link
from .models import AuditEvent, AuditSeal, ChainHead


def seal_grace():
    return timedelta(minutes=settings.AUDIT_SEAL_GRACE_MINUTES)


def _unsealed(head):
    return AuditEvent.objects.filter(seq__gt=head.scan_from, seal__isnull=True)


def seal_pending(batch: int | None = None) -> int:
    """Seal what is waiting (up to ``batch`` events per transaction) and checkpoint it."""
    batch = batch or settings.AUDIT_SEAL_BATCH
    total = 0
    while True:
        sealed = _seal_batch(batch)
        total += sealed
        if sealed < batch:
            break
    checkpoints.append(_seals_after)
    return total


def _seal_batch(batch: int) -> int:
    now = timezone.now()
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        pending = list(_unsealed(head).order_by("seq").values_list("seq", "hash")[:batch])
        seals, chain, position = [], head.last_hash, head.last_seq
        for seq, content in pending:
            position += 1
            chain = link(chain, position, seq, content)
            seals.append(AuditSeal(position=position, event_id=seq, event_hash=content, chain=chain, sealed_at=now))
        AuditSeal.objects.bulk_create(seals, batch_size=2000)
        head.last_seq, head.last_hash = position, chain
        head.scan_from = _next_scan_from(head, now)
        head.save(update_fields=["last_seq", "last_hash", "scan_from"])
    return len(seals)


def _next_scan_from(head, now) -> int:
    """Below this ``seq`` every event is sealed and no transaction can still add one: events
    older than the grace period, up to the first one still unsealed."""
    settled = AuditEvent.objects.filter(seq__gt=head.scan_from, at__lt=now - seal_grace()).aggregate(m=Max("seq"))["m"]
    if settled is None:
        return head.scan_from
    first_open = _unsealed(head).filter(seq__lte=settled).aggregate(m=Min("seq"))["m"]
    return settled if first_open is None else first_open - 1


def _seals_after(size: int):
    rows = AuditSeal.objects.filter(position__gt=size).order_by("position").values_list(
        "position", "event_id", "event_hash", "chain"
    )
    yield from rows.iterator(chunk_size=5000)
