"""The hash chain: each event's hash covers its content and the previous event's hash."""
import hashlib
import json
from dataclasses import dataclass

GENESIS = "0" * 64


def canonical(event) -> bytes:
    """The bytes an event's hash covers: every recorded field, in a fixed form."""
    payload = {
        "seq": event.seq,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "reference": event.reference,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def event_hash(event) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()


@dataclass
class ChainProblem:
    seq: int
    kind: str  # "altered" | "missing" | "relinked" | "tip"
    message: str


def verify(events, head=None, batch_size=2000):
    """Walk ``events`` (ordered by seq) and return the first problem, or None.

    An edited row no longer matches its hash; a deleted row leaves a gap in the sequence
    (or, at the end, a tip that the head no longer matches).
    """
    expected_seq, prev = 1, GENESIS
    for event in events.iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return ChainProblem(expected_seq, "missing", f"审计事件 #{expected_seq} 已被删除（序号缺失）。")
        if event.prev_hash != prev:
            return ChainProblem(event.seq, "relinked", f"审计事件 #{event.seq} 的前序哈希不符，链条被改动。")
        if event_hash(event) != event.hash:
            return ChainProblem(event.seq, "altered", f"审计事件 #{event.seq} 的内容已被篡改（哈希不符）。")
        prev, expected_seq = event.hash, expected_seq + 1
    if head is not None and (head.last_seq != expected_seq - 1 or head.last_hash != prev):
        return ChainProblem(
            expected_seq, "tip",
            f"审计链末端不符：链头记录到 #{head.last_seq}，实际只有 #{expected_seq - 1}，末尾事件已被删除。",
        )
    return None
