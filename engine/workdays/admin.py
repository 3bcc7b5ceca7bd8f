"""The administrator corrects the calendar here (DOMAIN D2). A saved day becomes a manual row,
which later loads keep; each correction goes through ``services.calendar_day_correct`` /
``calendar_day_remove``, which write the audit trail (D4)."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from engine.admin_base import ReadOnlyAdmin

from .models import CalendarDay, CalendarYear
from .services import calendar_day_correct, calendar_day_remove

WEEKDAYS = (
    pgettext_lazy("weekday", "Mon"), pgettext_lazy("weekday", "Tue"), pgettext_lazy("weekday", "Wed"),
    pgettext_lazy("weekday", "Thu"), pgettext_lazy("weekday", "Fri"), pgettext_lazy("weekday", "Sat"),
    pgettext_lazy("weekday", "Sun"),
)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "name", "source", "updated_at"]
    list_filter = ["kind", "source"]
    search_fields = ["name"]
    date_hierarchy = "date"
    fields = ["date", "kind", "name", "source", "updated_at"]
    readonly_fields = ["source", "updated_at"]

    @admin.display(description=_("Weekday"))
    def weekday(self, obj):
        return WEEKDAYS[obj.date.weekday()]

    def has_delete_permission(self, request, obj=None):
        # Deleting a loaded row would be undone by the next load; correcting it (manual) is kept.
        manual = obj is None or obj.source == CalendarDay.Source.MANUAL
        return manual and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        calendar_day_correct(actor=request.user, day=obj)

    def delete_model(self, request, obj):
        calendar_day_remove(actor=request.user, day=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset.filter(source=CalendarDay.Source.MANUAL):
            self.delete_model(request, obj)


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    """Read-only: a year turns official only by loading its schedule (`manage.py load_calendar`)."""

    list_display = ["year", "status", "origin", "loaded_at"]
    list_filter = ["status"]
