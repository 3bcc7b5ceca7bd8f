"""Append to the audit trail. Called inside the service's transaction, so an event exists
exactly when the change it records was committed."""
from django.db import transaction
from django.utils import timezone

from .chain import event_hash
from .models import AuditEvent, ChainHead


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
    """Append one event, linked to the chain's tip under a row lock on the head."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        reference = reference or getattr(obj, "reference", "") or ""
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.last_seq + 1,
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
            prev_hash=head.last_hash,
        )
        event.hash = event_hash(event)
        event.save()
        head.last_seq, head.last_hash = event.seq, event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event
