"""Documents in the admin: read only (changes go through the services, with their audit
events), no deletion, and sealed documents not shown at all (P4 sealing, ``access.unsealed``)."""
from django.contrib import admin

from engine.admin_base import ReadOnlyAdmin

from .access import unsealed
from .models import Document, DocumentVersion


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    fields = ["number", "original_name", "size", "sha256", "content_type", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "kind", "status", "organization", "created_by", "created_at"]
    list_filter = ["process_name", "status", "kind"]
    search_fields = ["reference", "versions__original_name", "versions__sha256"]
    inlines = [VersionInline]

    def get_queryset(self, request):
        return unsealed(super().get_queryset(request), request.user).select_related("organization", "created_by")
