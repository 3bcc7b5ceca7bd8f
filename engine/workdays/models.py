"""The working-day calendar as data (DOMAIN D2): the exceptions to "Monday to Friday" and, per
year, whether the State Council's official schedule is loaded or the days are provisional."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """One day that differs from the plain week: a day off (holiday) or a weekend day made a
    working day (调休). A manual row is an administrator's correction and outlives reloads."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假")
        WORKDAY = "workday", _("调休上班")

    class Source(models.TextChoices):
        OFFICIAL = "official", _("国务院正式安排")
        PROVISIONAL = "provisional", _("暂定（按法定节假日推算）")
        MANUAL = "manual", _("人工更正")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=50, blank=True, help_text=_("例如：国庆节、春节调休"))
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices, default=Source.MANUAL)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("日历调整日")
        verbose_name_plural = _("日历调整日")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()


class CalendarYear(models.Model):
    """Whether a year's official schedule is loaded; without it the year's days are provisional."""

    class Status(models.TextChoices):
        OFFICIAL = "official", _("正式")
        PROVISIONAL = "provisional", _("暂定")

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PROVISIONAL)
    origin = models.CharField(_("数据来源"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("载入时间"))

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year} {self.get_status_display()}"


class CalendarStamp(models.Model):
    """One row whose version goes up with every change of the calendar, in the same
    transaction (D2). Every process (web workers, Celery worker and beat) keeps the calendar in
    memory and compares this version now and then — one primary-key read — so a calendar
    loaded or corrected in one process is seen by all, without a shared cache server."""

    version = models.PositiveBigIntegerField(_("版本"), default=0)
    changed_at = models.DateTimeField(_("变更时间"), null=True)

    class Meta:
        verbose_name = _("日历版本")
        verbose_name_plural = _("日历版本")

    def __str__(self):
        return str(self.version)
