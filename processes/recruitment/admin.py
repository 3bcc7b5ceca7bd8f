"""Admin: skills, activity types (whether a type requires training, seed 二(二)) and which
training sessions qualify for a type are reference data the administrator edits here;
recruitments, sign-ups and calls change only through the services, so they are read-only."""
from django.contrib import admin

from engine.admin_base import ReadOnlyAdmin

from .models import ActivityType, EmergencyCall, Recruitment, SignUp, Skill, TrainingQualification


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "requires_training"]
    list_filter = ["requires_training"]
    search_fields = ["name"]


@admin.register(TrainingQualification)
class TrainingQualificationAdmin(admin.ModelAdmin):
    list_display = ["activity", "activity_type"]
    list_filter = ["activity_type"]
    raw_id_fields = ["activity"]


@admin.register(Recruitment)
class RecruitmentAdmin(ReadOnlyAdmin):
    list_display = ["title", "activity", "kind", "mode", "status", "answer_by", "created_at"]
    list_filter = ["kind", "mode", "status"]
    search_fields = ["title"]


@admin.register(SignUp)
class SignUpAdmin(ReadOnlyAdmin):
    list_display = ["slot", "volunteer", "status", "source", "created_at"]
    list_filter = ["status", "source"]


@admin.register(EmergencyCall)
class EmergencyCallAdmin(ReadOnlyAdmin):
    list_display = ["recruitment", "volunteer", "sent_at", "answer", "answered_at"]
