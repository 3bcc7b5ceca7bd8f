"""Check the trail against itself and against the signed checkpoints (D4).

The first problem found is returned, naming the event: an edited event no longer matches its
content hash as sealed (or as the checkpoint file holds it, when the database's hashes were
recomputed); a deleted event leaves its seal pointing at nothing, or a position the checkpoint
names with another event; a cut tail leaves the database shorter than the last checkpoint.
"""
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from . import checkpoints
from .chain import GENESIS, event_hash, link
from .models import AuditEvent, AuditSeal, ChainHead
from .sealing import seal_grace

CHUNK = 2000


@dataclass
class ChainProblem:
    seq: int
    kind: str  # "altered" | "missing" | "relinked" | "tip" | "unsealed" | "checkpoint"
    message: str


@dataclass
class Report:
    sealed: int
    checkpointed: int
    unsealed: int
    problem: ChainProblem | None


def verify() -> Report:
    external = checkpoints.external_trail()
    if external.problem:
        return Report(0, external.size, 0, ChainProblem(0, "checkpoint", external.problem))
    problem, sealed = _walk_seals(external)
    if problem is None:
        problem = _check_tail(sealed, external)
    unsealed = AuditEvent.objects.filter(seal__isnull=True)
    if problem is None:
        problem = _check_unsealed(unsealed)
    return Report(sealed, external.size, unsealed.count(), problem)


def _walk_seals(external):
    expected, chain = 1, GENESIS
    seals = AuditSeal.objects.order_by("position").values_list("position", "event_id", "event_hash", "chain")
    chunk = []
    for row in seals.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            problem, expected, chain = _check_chunk(chunk, expected, chain, external)
            if problem:
                return problem, expected - 1
            chunk = []
    if chunk:
        problem, expected, chain = _check_chunk(chunk, expected, chain, external)
        if problem:
            return problem, expected - 1
    return None, expected - 1


def _altered(seq) -> str:
    return _("The content of audit event #%(event)d was tampered with (its hash does not match).") % {"event": seq}


def _check_chunk(rows, expected, chain, external):
    events = AuditEvent.objects.in_bulk([seq for _p, seq, _h, _c in rows])
    for position, seq, sealed_hash, sealed_chain in rows:
        if position != expected:
            return ChainProblem(expected, "missing", _("Audit seal %(position)d is missing; the seal chain was altered.") % {"position": expected}), expected, chain
        vouched = external.leaves.get(position)
        if vouched is not None and vouched[0] != seq:
            gone = vouched[0]
            values = {"event": gone, "position": position}
            message = (_("Audit event #%(event)d was deleted (checkpoint entry %(position)d records it).") % values
                       if gone not in events and not AuditEvent.objects.filter(seq=gone).exists()
                       else _("Audit seal %(position)d was pointed at another event (the checkpoint records "
                              "#%(event)d).") % values)
            return ChainProblem(gone, "missing", message), expected, chain
        event = events.get(seq)
        if event is None:
            return ChainProblem(seq, "missing", _("Audit event #%(event)d was deleted (its seal remains).") % {"event": seq}), expected, chain
        trusted = vouched[1] if vouched is not None else sealed_hash
        if event_hash(event) != trusted or sealed_hash != trusted:
            return ChainProblem(seq, "altered", _altered(seq)), expected, chain
        chain = link(chain, position, seq, sealed_hash)
        if chain != sealed_chain:
            return ChainProblem(seq, "relinked", _("The chain hash of audit seal %(position)d (event #%(event)d) does not match; the chain was "
                                 "altered.") % {"position": position, "event": seq}), expected, chain
        expected += 1
    return None, expected, chain


def _check_tail(sealed, external):
    if sealed < external.size:
        first_gone = external.leaves[sealed + 1][0]
        return ChainProblem(
            first_gone, "tip",
            _("The end of the audit chain does not match: the checkpoints record %(size)d events, the "
              "database has only %(sealed)d; the events from #%(event)d on were deleted.")
            % {"size": external.size, "sealed": sealed, "event": first_gone},
        )
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq != sealed:
        return ChainProblem(
            sealed + 1, "tip",
            _("The end of the audit chain does not match: the chain head records %(size)d events, there "
              "are only %(sealed)d; the last events were deleted.") % {"size": head.last_seq, "sealed": sealed},
        )
    return None


def _check_unsealed(unsealed):
    for event in unsealed.order_by("seq").iterator(chunk_size=CHUNK):
        if event_hash(event) != event.hash:
            return ChainProblem(event.seq, "altered", _altered(event.seq))
        if event.at < timezone.now() - seal_grace():
            return ChainProblem(event.seq, "unsealed", _("Audit event #%(event)d was written long ago and is still not sealed; please check the sealing "
                                 "task.") % {"event": event.seq})
    return None
