"""Admin: each base's settings are edited here (audited, D4); applications, scores, milestones
and nominations are read-only — they change only through the services."""
from django.contrib import admin

from engine.admin_base import ReadOnlyAdmin

from .models import ExpertRecusal, ExpertScore, IncubationApplication, IncubationBaseSettings, Milestone, Nomination
from .services import base_settings_save


@admin.register(IncubationBaseSettings)
class IncubationBaseSettingsAdmin(admin.ModelAdmin):
    list_display = ["base", "period_months", "pass_mark", "expert_count", "midterm_enabled", "extension_limit",
                    "graduation_pass_mark"]

    def get_readonly_fields(self, request, obj=None):
        # The base is the row's primary key: changing it would copy the settings to another
        # base and leave the old row behind, unaudited.
        return ["base"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        base_settings_save(actor=request.user, base_settings=obj)  # the service audits (D4)

    def has_delete_permission(self, request, obj=None):
        return False  # a base without its row falls back to the settings' defaults, unaudited


class ExpertScoreInline(admin.TabularInline):
    model = ExpertScore
    extra = 0
    can_delete = False
    readonly_fields = ["expert", "score", "comment", "scored_at"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(IncubationApplication)
class IncubationApplicationAdmin(ReadOnlyAdmin):
    list_display = ["reference", "organization", "department", "status", "submitted_at", "incubation_end"]
    list_filter = ["status", "department"]
    search_fields = ["reference", "organization__name"]
    list_select_related = ["organization", "department"]
    inlines = [ExpertScoreInline]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ["application", "kind", "title", "happened_on", "recorded_by"]
    list_filter = ["kind"]
    list_select_related = ["application", "recorded_by"]


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["application", "kind", "project", "state", "decided_at"]
    list_filter = ["kind", "state"]
    list_select_related = ["application", "project"]


@admin.register(ExpertRecusal)
class ExpertRecusalAdmin(ReadOnlyAdmin):
    list_display = ["application", "expert", "declared_at"]
    list_select_related = ["application", "expert"]
