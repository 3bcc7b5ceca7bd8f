"""Import jobs in the admin: a read-only record of who imported what and how it went."""
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from .models import ImportJob
from .report import ImportReport


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = [
        "pk", "resource", "original_name", "status", "processed_rows", "total_rows",
        "created_by", "created_at", "finished_at",
    ]
    list_filter = ["status", "resource"]
    search_fields = ["original_name", "created_by__username", "created_by__full_name"]
    list_select_related = ["created_by"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "created_by", "resource", "original_name", "file_size", "file_digest", "status", "total_rows",
        "processed_rows", "created_count", "updated_count", "skipped_count", "error_count", "error_lines",
        "created_at", "started_at", "heartbeat_at", "finished_at",
    ]
    # The uploaded file is private (D6: full ID numbers) and has no URL; only its digest shows.
    exclude = ["error_report", "file"]

    @admin.display(description=_("error report"))
    def error_lines(self, job):
        lines = ImportReport(resource=job.resource, errors=job.error_report or [],
                             error_count=job.error_count).error_lines()
        return format_html_join("\n", "<div>{}</div>", ((line,) for line in lines)) or "—"

    def has_add_permission(self, request):
        return False  # jobs come from imports, never typed in

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser  # clearing old history is a superuser's call
