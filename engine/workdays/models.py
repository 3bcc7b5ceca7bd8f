"""The working-day calendar as data (DOMAIN D2): the exceptions to "Monday to Friday" and, per
year, whether the State Council's official schedule is loaded or the days are provisional."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """One day that differs from the plain week: a day off (holiday) or a weekend day made a
    working day (调休). A manual row is an administrator's correction and outlives reloads."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Day off")
        WORKDAY = "workday", _("Make-up working day")

    class Source(models.TextChoices):
        OFFICIAL = "official", _("Official State Council schedule")
        PROVISIONAL = "provisional", _("Provisional (derived from statutory holidays)")
        MANUAL = "manual", _("Manual correction")

    date = models.DateField(_("Date"), unique=True)
    kind = models.CharField(_("Type"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("Name"), max_length=50, blank=True, help_text=_("For example: National Day, Spring Festival make-up working day"))
    source = models.CharField(_("Source"), max_length=12, choices=Source.choices, default=Source.MANUAL)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Calendar exception day")
        verbose_name_plural = _("Calendar exception day")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()


class CalendarYear(models.Model):
    """Whether a year's official schedule is loaded; without it the year's days are provisional."""

    class Status(models.TextChoices):
        OFFICIAL = "official", _("Official")
        PROVISIONAL = "provisional", _("Provisional")

    year = models.PositiveSmallIntegerField(_("Year"), unique=True)
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.PROVISIONAL)
    origin = models.CharField(_("Data source"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("Loaded at"))

    class Meta:
        verbose_name = _("Calendar year")
        verbose_name_plural = _("Calendar year")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year} {self.get_status_display()}"


class CalendarStamp(models.Model):
    """One row whose version goes up with every change of the calendar, in the same
    transaction (D2). Every process (web workers, Celery worker and beat) keeps the calendar in
    memory and compares this version now and then — one primary-key read — so a calendar
    loaded or corrected in one process is seen by all, without a shared cache server."""

    version = models.PositiveBigIntegerField(_("Version"), default=0)
    changed_at = models.DateTimeField(_("Changed at"), null=True)

    class Meta:
        verbose_name = _("Calendar version")
        verbose_name_plural = _("Calendar version")

    def __str__(self):
        return str(self.version)
