"""Check the trail against itself and against the signed checkpoints (D4).

The first problem found is returned, naming the event: an edited event no longer matches its
content hash as sealed (or as the checkpoint file holds it, when the database's hashes were
recomputed); a deleted event leaves its seal pointing at nothing, or a position the checkpoint
names with another event; a cut tail leaves the database shorter than the last checkpoint.
"""
from dataclasses import dataclass

from django.utils import timezone

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


def _check_chunk(rows, expected, chain, external):
    events = AuditEvent.objects.in_bulk([seq for _p, seq, _h, _c in rows])
    for position, seq, sealed_hash, sealed_chain in rows:
        if position != expected:
            return ChainProblem(expected, "missing", f"审计封存记录第 {expected} 条缺失，封存链被改动。"), expected, chain
        vouched = external.leaves.get(position)
        if vouched is not None and vouched[0] != seq:
            gone = vouched[0]
            message = (f"审计事件 #{gone} 已被删除（检查点第 {position} 条记录的是它）。" if gone not in events
                       and not AuditEvent.objects.filter(seq=gone).exists()
                       else f"审计封存第 {position} 条被改指向其他事件（检查点记录的是 #{gone}）。")
            return ChainProblem(gone, "missing", message), expected, chain
        event = events.get(seq)
        if event is None:
            return ChainProblem(seq, "missing", f"审计事件 #{seq} 已被删除（封存记录仍在）。"), expected, chain
        trusted = vouched[1] if vouched is not None else sealed_hash
        if event_hash(event) != trusted or sealed_hash != trusted:
            return ChainProblem(seq, "altered", f"审计事件 #{seq} 的内容已被篡改（哈希不符）。"), expected, chain
        chain = link(chain, position, seq, sealed_hash)
        if chain != sealed_chain:
            return ChainProblem(seq, "relinked", f"审计封存第 {position} 条（事件 #{seq}）的链哈希不符，链条被改动。"), expected, chain
        expected += 1
    return None, expected, chain


def _check_tail(sealed, external):
    if sealed < external.size:
        first_gone = external.leaves[sealed + 1][0]
        return ChainProblem(
            first_gone, "tip",
            f"审计链末端不符：检查点记录到第 {external.size} 条，数据库只有 {sealed} 条，"
            f"从事件 #{first_gone} 起的末尾事件已被删除。",
        )
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq != sealed:
        return ChainProblem(
            sealed + 1, "tip",
            f"审计链末端不符：链头记录到第 {head.last_seq} 条，实际只有 {sealed} 条，末尾事件已被删除。",
        )
    return None


def _check_unsealed(unsealed):
    for event in unsealed.order_by("seq").iterator(chunk_size=CHUNK):
        if event_hash(event) != event.hash:
            return ChainProblem(event.seq, "altered", f"审计事件 #{event.seq} 的内容已被篡改（哈希不符）。")
        if event.at < timezone.now() - seal_grace():
            return ChainProblem(event.seq, "unsealed", f"审计事件 #{event.seq} 写入已久仍未封存，请检查封存任务。")
    return None
