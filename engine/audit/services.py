"""Append to the audit trail. Called inside the service's transaction, so an event exists
exactly when the change it records was committed.

Appending takes no shared lock: the event's ``seq`` comes from the database's sequence and its
content hash is computed here. Sealing orders and chains the events afterwards (``sealing``).
"""
from django.utils import timezone

from .chain import event_hash
from .models import AuditEvent


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
    """Append one event (one INSERT, no lock on anything shared)."""
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
    event.hash = event_hash(event)
    event.save(force_insert=True)
    return event
