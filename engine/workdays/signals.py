"""Any saved or deleted calendar row (admin edits included) drops the working-day snapshot.
Bulk writes send no signals; the services invalidate after them themselves."""
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import calendar
from .models import CalendarDay, CalendarYear


@receiver([post_save, post_delete], sender=CalendarDay, dispatch_uid="workdays.day_changed")
@receiver([post_save, post_delete], sender=CalendarYear, dispatch_uid="workdays.year_changed")
def calendar_changed(sender, **kwargs):
    calendar.invalidate()
