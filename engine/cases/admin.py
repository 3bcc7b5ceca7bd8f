from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from engine.admin_base import ReadOnlyAdmin

from .models import ReferenceSequence, TaskRoute


@admin.register(TaskRoute)
class TaskRouteAdmin(ReadOnlyAdmin):
    """Read-only view of routed tasks; changes go through the workbench actions (D4)."""

    list_display = ["reference", "case", "step", "department", "role", "state", "owner", "due_at",
                    "due_provisional", "overdue_at", "escalation_level"]
    list_filter = ["process_name", "state", "role", "due_provisional", "department__level"]
    search_fields = ["reference", "case_title", "department__name"]
    list_select_related = ["department", "owner"]

    # D7: the titles in the reader's language, as on the workbench; the stored ones keep the
    # language of the moment the task was made
    @admin.display(description=_("Case"))
    def case(self, route):
        return route.display_case_title

    @admin.display(description=_("Step"), ordering="step_title")
    def step(self, route):
        return route.display_step_title


@admin.register(ReferenceSequence)
class ReferenceSequenceAdmin(admin.ModelAdmin):
    list_display = ["prefix", "year", "last"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
