"""Hashes of the trail: an event's content hash, and the chain that sealing builds over them.

The content hash is taken when the event is written and covers every recorded field. The chain
is built later, in sealing order: ``chain(n) = sha256(chain(n-1) | position | seq | content)``,
so a sealed event cannot be changed, removed or moved without every later link changing — and
the signed checkpoints kept outside the database hold those links.
"""
import hashlib
import json

GENESIS = "0" * 64


def canonical(event) -> bytes:
    """The bytes an event's content hash covers: every recorded field, in a fixed form."""
    payload = {
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
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def event_hash(event) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()


def link(prev_chain: str, position: int, seq: int, content_hash: str) -> str:
    """The chain hash of the seal at ``position`` holding event ``seq``."""
    return hashlib.sha256(f"{prev_chain}|{position}|{seq}|{content_hash}".encode()).hexdigest()
