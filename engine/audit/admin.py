from django.contrib import admin

from engine.admin_base import ReadOnlyAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the trail is append-only (D4)."""

    list_display = ["seq", "at", "actor_name", "action", "reference", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["reference", "object_id", "actor_name"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
