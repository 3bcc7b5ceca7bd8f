"""Append to the audit trail. Called inside the service's transaction, so an event exists
exactly when the change it records was committed.

Appending takes no shared lock: the event's ``seq`` comes from the database's sequence and its
content hash is computed here. Sealing orders and chains the events afterwards (``sealing``).

Inside ``buffered_events`` (the block that creates cases, ``engine.cases.numbering``) events
are kept in memory and written together by ``write_events`` just before the block's transaction
ends: one INSERT, and the hash is taken only then, over the case's final reference number.
"""
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

from .chain import event_hash
from .models import AuditEvent

# The events of the running ``buffered_events`` block, not written yet.
_buffer: ContextVar = ContextVar("audit_buffer", default=None)


def _plain(value):
    """JSON-safe copy of before/after values (Decimals, dates, model instances as strings)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if hasattr(value, "pk"):
        return value.pk
    return str(value)


def audit_record(*, actor, action: str, obj=None, object_type: str = "", object_id="",
                 reference: str = "", before=None, after=None, reason: str = "") -> AuditEvent:
    """Append one event (one INSERT, no lock on anything shared), or keep it for
    ``write_events`` inside ``buffered_events`` (then it has no ``seq`` yet)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        reference = reference or getattr(obj, "reference", "") or ""
    event = AuditEvent(
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(getattr(actor, "display_name", None) or str(actor or "系统"))[:150],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        reference=reference,
        before=_plain(before or {}),
        after=_plain(after or {}),
        reason=reason or "",
    )
    buffer = _buffer.get()
    if buffer is not None:
        buffer.append(event)
        return event
    event.hash = event_hash(event)
    event.save(force_insert=True)
    return event


@contextmanager
def buffered_events(events: list):
    """Within the block ``audit_record`` appends to ``events`` instead of writing; the caller
    writes them with ``write_events`` before its transaction ends (or drops them with it)."""
    token = _buffer.set(events)
    try:
        yield events
    finally:
        _buffer.reset(token)


def write_events(events: list, rewrite=None) -> None:
    """Write buffered events in one INSERT, in the order they were recorded. ``rewrite(text)``
    is applied to every text the event holds first (a provisional reference becomes the final
    one), and the content hash is taken after it."""
    if not events:
        return
    for event in events:
        if rewrite is not None:
            event.reference, event.reason = rewrite(event.reference), rewrite(event.reason)
            event.before, event.after = _rewritten(event.before, rewrite), _rewritten(event.after, rewrite)
        event.hash = event_hash(event)
    AuditEvent.objects.bulk_create(events)


def _rewritten(value, rewrite):
    if isinstance(value, dict):
        return {k: _rewritten(v, rewrite) for k, v in value.items()}
    if isinstance(value, list):
        return [_rewritten(v, rewrite) for v in value]
    if isinstance(value, str):
        return rewrite(value)
    return value
