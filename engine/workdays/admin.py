"""The administrator corrects the calendar here (DOMAIN D2). A saved day becomes a manual row,
which later loads keep; each correction is written to the audit trail (D4)."""
from django.contrib import admin

from engine.admin_base import ReadOnlyAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from engine.audit.services import audit_record

from .models import CalendarDay, CalendarYear

WEEKDAYS = "一二三四五六日"


def _state(day):
    return {"date": day.date, "kind": day.kind, "name": day.name, "source": day.source}


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "name", "source", "updated_at"]
    list_filter = ["kind", "source"]
    search_fields = ["name"]
    date_hierarchy = "date"
    fields = ["date", "kind", "name", "source", "updated_at"]
    readonly_fields = ["source", "updated_at"]

    @admin.display(description=_("星期"))
    def weekday(self, obj):
        return f"周{WEEKDAYS[obj.date.weekday()]}"

    def has_delete_permission(self, request, obj=None):
        # Deleting a loaded row would be undone by the next load; correcting it (manual) is kept.
        manual = obj is None or obj.source == CalendarDay.Source.MANUAL
        return manual and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        before = _state(CalendarDay.objects.get(pk=obj.pk)) if change else {}
        obj.source = CalendarDay.Source.MANUAL
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(actor=request.user, action="calendar.correct", obj=obj, before=before,
                         after=_state(obj), reason="管理员更正工作日历")

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(actor=request.user, action="calendar.correct", obj=obj, before=_state(obj), after={},
                         reason="管理员删除人工更正")
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset.filter(source=CalendarDay.Source.MANUAL):
            self.delete_model(request, obj)


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    """Read-only: a year turns official only by loading its schedule (`manage.py load_calendar`)."""

    list_display = ["year", "status", "origin", "loaded_at"]
    list_filter = ["status"]
