"""Activities and the service records of the volunteers who served there (R1–R3, R6, R12, R13).

A correction writes a new record version (R6); only approved, current, non-deleted hours count
(R13); hours from sign-in/out are system-made, back-fills are a separate kind (R12)."""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from engine.directory.models import Organization, OrganizationMember

from .volunteers import Volunteer


class Activity(models.Model):
    """A volunteer activity run by one organization (R1, R2)."""

    class Category(models.TextChoices):
        SERVICE = "service", _("志愿服务")
        TRAINING = "training", _("培训")
        COMMENDATION = "commendation", _("褒奖")
        EVALUATION = "evaluation", _("评价")

    organization = models.ForeignKey(
        Organization, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="activities"
    )
    name = models.CharField(_("活动名称"), max_length=128)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices, default=Category.SERVICE)
    place = models.CharField(_("地点"), max_length=128)
    content = models.TextField(_("服务内容"), blank=True)
    start_at = models.DateTimeField(_("开始时间"))
    end_at = models.DateTimeField(_("结束时间"))
    person_in_charge = models.CharField(_("负责人"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("志愿活动")
        verbose_name_plural = _("志愿活动")
        ordering = ["-start_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_at__gt=models.F("start_at")), name="activity_ends_after_start",
                violation_error_message=_("结束时间必须晚于开始时间。"),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def length_hours(self) -> Decimal:
        """R12: the cap for back-filled hours."""
        seconds = Decimal((self.end_at - self.start_at).total_seconds())
        return (seconds / Decimal(3600)).quantize(Decimal("0.01"))


class ServiceRecordQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True, is_deleted=False)

    def counting(self):
        """R13: only approved, current, non-deleted records count."""
        return self.current().filter(status=ServiceRecord.Status.APPROVED)

    def with_backfill_approver(self):
        """R12, the one definition of who approves a back-fill: a manager of the organization
        other than the one who entered it; with no such active manager, the staff of the
        organization's supervising department. Annotates ``department_approves`` (True for a
        back-fill the department approves; False otherwise, sign-in records included)."""
        other_manager = OrganizationMember.objects.filter(
            organization=OuterRef("activity__organization"), role=OrganizationMember.Role.MANAGER,
            user__is_active=True,
        ).exclude(user=Coalesce(OuterRef("entered_by"), Value(0)))  # entrant's account gone: every manager is another
        return self.annotate(department_approves=ExpressionWrapper(
            Q(source=ServiceRecord.Source.BACKFILL) & ~Exists(other_manager), output_field=BooleanField()))


class ServiceRecord(FSMModelMixin, models.Model):
    """Hours one volunteer served at one activity. A correction writes a new row linked to
    the one it replaces (R6); deletion only marks the row (R13)."""

    class Source(models.TextChoices):
        SIGNIN = "signin", _("签到签退")
        BACKFILL = "backfill", _("手工补录")

    class Status(models.TextChoices):
        ENTERED = "entered", _("已录入")
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        DENIED = "denied", _("未通过")

    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="records")
    activity = models.ForeignKey(Activity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="records")
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=7, decimal_places=2)
    content = models.CharField(_("服务内容"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    status = FSMField(_("状态"), default=Status.ENTERED, choices=Status.choices, protected=True)
    late = models.BooleanField(_("逾期录入"), default=False, help_text=_("活动结束10个工作日后才录入。"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_reason = models.CharField(_("审核意见"), max_length=500, blank=True)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    previous = models.OneToOneField(
        "self", verbose_name=_("上一版本"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="next_version",
    )
    is_current = models.BooleanField(_("当前版本"), default=True)
    correction_reason = models.CharField(_("更正原因"), max_length=500, blank=True)
    is_deleted = models.BooleanField(_("已删除"), default=False)
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    deleted_reason = models.CharField(_("删除原因"), max_length=500, blank=True)

    objects = ServiceRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        ordering = ["-entered_at", "-pk"]
        indexes = [models.Index(fields=["volunteer", "is_current", "is_deleted", "status"])]
        constraints = [
            # service and training carry hours (> 0, checked by the service); a commendation or
            # an evaluation carries none (R2a)
            models.CheckConstraint(condition=models.Q(hours__gte=0), name="record_hours_not_negative",
                                   violation_error_message=_("服务时长不能为负数。")),
        ]

    def __str__(self):
        return f"{self.volunteer.real_name} · {self.activity.name} · {self.hours}小时（第{self.version}版）"

    @property
    def organization(self):
        return self.activity.organization

    @property
    def badge(self) -> str:
        """The badge style pages show its review status in (R13)."""
        return {self.Status.APPROVED: "ok", self.Status.DENIED: "bad"}.get(self.status, "")

    @transition(field=status, source=Status.ENTERED, target=Status.PENDING)
    def submit(self):
        pass

    @transition(field=status, source=Status.PENDING, target=Status.APPROVED)
    def approve(self, by, reason=""):
        self.reviewed_by, self.reviewed_at, self.review_reason = by, timezone.now(), reason

    @transition(field=status, source=Status.PENDING, target=Status.DENIED)
    def deny(self, by, reason):
        self.reviewed_by, self.reviewed_at, self.review_reason = by, timezone.now(), reason


class Attendance(models.Model):
    """A volunteer's sign-in and sign-out at an activity, timestamped by the server (R12).
    The sign-out makes the sign-in service record; nobody types these times."""

    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT,
                                  related_name="attendances")
    activity = models.ForeignKey(Activity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="attendances")
    signed_in_at = models.DateTimeField(_("签到时间"), editable=False)
    signed_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签到操作人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True, editable=False)
    signed_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签退操作人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    record = models.OneToOneField(
        ServiceRecord, verbose_name=_("服务记录"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="attendance",
    )

    class Meta:
        verbose_name = _("签到签退")
        verbose_name_plural = _("签到签退")
        ordering = ["-signed_in_at"]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "activity"], name="attendance_once_per_activity",
                                    violation_error_message=_("该志愿者已在此活动签到。")),
        ]

    def __str__(self):
        return f"{self.volunteer.real_name} · {self.activity.name}"
