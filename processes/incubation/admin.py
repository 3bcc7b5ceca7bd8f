"""Admin: each base's settings are edited here (audited, D4); applications, scores, milestones
and nominations are read-only — they change only through the services."""
from django.contrib import admin

from engine.admin_base import ReadOnlyAdmin
from django.forms.models import model_to_dict

from engine.audit.services import audit_record

from .models import ExpertRecusal, ExpertScore, IncubationApplication, IncubationBaseSettings, Milestone, Nomination


@admin.register(IncubationBaseSettings)
class IncubationBaseSettingsAdmin(admin.ModelAdmin):
    list_display = ["base", "period_months", "pass_mark", "expert_count", "midterm_enabled", "extension_limit",
                    "graduation_pass_mark"]

    def get_readonly_fields(self, request, obj=None):
        # The base is the row's primary key: changing it would copy the settings to another
        # base and leave the old row behind, unaudited.
        return ["base"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        before = model_to_dict(IncubationBaseSettings.objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, action="incubation.base_settings.change", obj=obj,
                     reference=obj.base.code, before=before, after=model_to_dict(obj))



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
