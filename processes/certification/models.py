"""Volunteers, activities, service records, certificate requests, certificates and disputes.

DOMAIN "Certification" R1–R15: the organization that ran an activity records it (R1) and
certifies it; records keep every version (R6); only approved, current, non-deleted hours
count (R13); a certificate is a signed, numbered, registered snapshot (R8, R10).
"""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from engine.cases.models import Case
from engine.directory.models import District, Organization
from engine.directory.validators import mask_id_number, mask_phone, validate_id_number


def mask_name(name: str) -> str:
    """D6/R10: 李小萌 → 李*萌, 王力 → 王*."""
    if not name:
        return ""
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


class Volunteer(models.Model):
    """A real-name volunteer (R2a basic information); entered by an organization only with
    the volunteer's recorded consent (R4)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="volunteer",
    )
    volunteer_number = models.CharField(_("志愿者编号"), max_length=32, unique=True, editable=False)
    real_name = models.CharField(_("姓名"), max_length=64)
    # Not unique on its own: a person registering themself gets their own record even when an
    # organization entered the same number (no link without their confirmation, no hint that
    # the number is known); one unclaimed record per number and entering organization, so no
    # organization learns that another one entered the person.
    id_number = models.CharField(_("身份证号"), max_length=18, db_index=True, validators=[validate_id_number])
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("同意录入时间"))
    consent_note = models.CharField(_("同意方式"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        Organization, verbose_name=_("录入组织"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    district = models.ForeignKey(
        District, verbose_name=_("常住区县"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("志愿者常住的县（市、区），用于注册志愿者占常住人口比例的统计。"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["volunteer_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number", "registered_by"], condition=models.Q(user__isnull=True),
                name="volunteer_entered_id_number_unique", violation_error_message=_("本组织已录入该志愿者。"),
            )
        ]

    def __str__(self):
        return f"{self.real_name}（{self.volunteer_number}）"

    @property
    def masked_id(self):
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @property
    def masked_name(self):
        return mask_name(self.real_name)


class ClaimCode(models.Model):
    """A one-time code an organization hands the person it entered, so that person — and no
    one else who merely knows their name and ID number — links the record to their account.
    Only a keyed hash is stored; it expires and allows a few attempts (settings)."""

    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.CASCADE,
                                  related_name="claim_codes")
    code_hash = models.CharField(_("认领码摘要"), max_length=64, editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发放人"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("发放时间"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("认领码")
        verbose_name_plural = _("认领码")
        ordering = ["-issued_at"]

    def __str__(self):
        return f"{self.volunteer.volunteer_number} {self.issued_at:%Y-%m-%d}"


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


class VolunteerPartyMixin:
    """D3: the volunteer a request or dispute is about is its party and works none of its tasks
    — a manager of the organization may not issue their own certificate nor decide their own
    dispute; another manager or the supervising department does."""

    @classmethod
    def conflicting_cases(cls, user):
        return cls.objects.filter(volunteer__user_id=user.pk).values("pk")

    def conflicts_with(self, user) -> bool:
        return user.pk is not None and Volunteer.objects.filter(pk=self.volunteer_id, user_id=user.pk).exists()


class CertificateRequest(VolunteerPartyMixin, Case):
    """A volunteer's request for a certificate (证明), or the organization's on behalf of a
    volunteer without an account (R7). Verified and issued by the organization that answers
    for the recording unit now (R1, R9)."""

    REFERENCE_PREFIX = "ZM"
    FINAL_STATES = ("issued", "refused", "withdrawn")
    OPEN_STATES = ("verifying", "sealing", "notice")
    PROCESS_NAME = "certification"

    class Status(models.TextChoices):
        VERIFYING = "verifying", _("核实中")
        SEALING = "sealing", _("待盖章")
        NOTICE = "notice", _("公示中")
        ISSUED = "issued", _("已出具")
        REFUSED = "refused", _("不予出具")
        WITHDRAWN = "withdrawn", _("已撤回")

    status = FSMField(_("状态"), default=Status.VERIFYING, choices=Status.choices, protected=True)
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="requests")
    organization = models.ForeignKey(
        Organization, verbose_name=_("记录单位"), on_delete=models.PROTECT, related_name="+"
    )
    handling_organization = models.ForeignKey(
        Organization, verbose_name=_("办理单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("记录单位合并或注销后承接其工作的组织；为空时由业务主管部门办理。"),
    )
    on_behalf = models.BooleanField(_("由组织代为申请"), default=False)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    seal_requested = models.BooleanField(_("需要盖章"), default=False)
    include_training = models.BooleanField(_("含培训与褒奖"), default=False)
    include_evaluation = models.BooleanField(_("含评价"), default=False,
                                             help_text=_("志愿者申请时要求列明组织对其的评价。"))
    records = models.ManyToManyField(ServiceRecord, verbose_name=_("服务记录"), related_name="+")
    refusal_reason = models.CharField(_("不予出具理由"), max_length=500, blank=True)
    notice_until = models.DateTimeField(_("公示截止"), null=True, blank=True)

    class Meta:
        verbose_name = _("证明申请")
        verbose_name_plural = _("证明申请")
        ordering = ["-created_at"]

    def title(self):
        return f"{self.reference} {self.volunteer.real_name} 志愿服务证明"

    def visible_to(self, user) -> bool:
        from engine.directory import rights

        org_ids = rights.organization_ids(user)
        return bool(
            (self.volunteer.user_id and self.volunteer.user_id == user.pk)
            or {self.organization_id, self.handling_organization_id} & org_ids
        )

    @transition(field=status, source=Status.VERIFYING,
                target=RETURN_VALUE(Status.SEALING, Status.NOTICE, Status.ISSUED))
    def verify(self, *, notice: bool):
        if self.seal_requested:
            return self.Status.SEALING
        return self.Status.NOTICE if notice else self.Status.ISSUED

    @transition(field=status, source=Status.SEALING, target=RETURN_VALUE(Status.NOTICE, Status.ISSUED))
    def seal(self, *, notice: bool):
        return self.Status.NOTICE if notice else self.Status.ISSUED

    @transition(field=status, source=Status.NOTICE, target=Status.ISSUED)
    def end_notice(self):
        pass

    @transition(field=status, source=Status.VERIFYING, target=Status.REFUSED)
    def refuse(self, reason):
        self.refusal_reason = reason

    @transition(field=status, source=[Status.VERIFYING, Status.SEALING, Status.NOTICE], target=Status.WITHDRAWN)
    def withdraw(self):
        pass


class Certificate(FSMModelMixin, models.Model):
    """An issued certificate (R8): gap-free number per year, a random verification code, a
    frozen snapshot of the records it covers, an Ed25519 signature over its content (R10)."""

    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        REVOKED = "revoked", _("已撤销")
        SUPERSEDED = "superseded", _("已被替代")

    number = models.CharField(_("证明编号"), max_length=32, unique=True, editable=False)
    verification_code = models.CharField(_("验证码"), max_length=16, editable=False)
    request = models.ForeignKey(
        CertificateRequest, verbose_name=_("证明申请"), on_delete=models.PROTECT, related_name="certificates"
    )
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="certificates")
    issuer = models.ForeignKey(Organization, verbose_name=_("出具单位"), null=True, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("出具时间"))
    volunteer_name = models.CharField(_("志愿者姓名"), max_length=64)
    volunteer_id_masked = models.CharField(_("身份证号（隐去）"), max_length=18)
    issuer_name = models.CharField(_("出具单位名称"), max_length=128)
    issuer_contact = models.CharField(_("出具单位联系方式"), max_length=128, blank=True)
    recording_organization = models.CharField(_("记录单位"), max_length=128)
    total_hours = models.DecimalField(_("服务总时长（小时）"), max_digits=9, decimal_places=2)
    snapshot = models.JSONField(_("记录快照"), default=list)
    sealed = models.BooleanField(_("已盖章"), default=False)
    signature = models.TextField(_("签名"), editable=False)
    key_id = models.CharField(_("签名密钥标识"), max_length=32, editable=False)
    status = FSMField(_("状态"), default=Status.VALID, choices=Status.choices, protected=True)
    superseded_by = models.OneToOneField(
        "self", verbose_name=_("替代证明"), null=True, blank=True, on_delete=models.PROTECT, related_name="replaces"
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销原因"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("志愿服务证明")
        verbose_name_plural = _("志愿服务证明")
        ordering = ["-issued_at", "-pk"]

    def __str__(self):
        return self.number

    def record_ids(self) -> set[int]:
        return {item["id"] for item in self.snapshot}

    def get_absolute_url(self):
        return reverse("certification:certificate-pdf", args=[self.number])

    @transition(field=status, source=Status.VALID, target=Status.SUPERSEDED)
    def supersede(self, replacement):
        self.superseded_by = replacement

    @transition(field=status, source=Status.VALID, target=Status.REVOKED)
    def revoke(self, reason):
        self.revoked_at, self.revoke_reason = timezone.now(), reason


class Dispute(VolunteerPartyMixin, Case):
    """异议: a volunteer contests a record or a certificate (R6). The organizer reviews; a
    refusal may be appealed to the supervising department; an overdue organizer review
    escalates there (D2); a dissolved organizer's dispute follows R9."""

    REFERENCE_PREFIX = "YY"
    FINAL_STATES = ("upheld", "refused_final", "closed")
    PROCESS_NAME = "certification"

    class Status(models.TextChoices):
        ORGANIZER_REVIEW = "organizer_review", _("组织单位核查")
        REFUSED = "refused", _("组织单位不予更正")
        SUPERVISOR_REVIEW = "supervisor_review", _("主管部门复核")
        UPHELD = "upheld", _("已更正")
        REFUSED_FINAL = "refused_final", _("复核维持")
        CLOSED = "closed", _("已结案")

    status = FSMField(_("状态"), default=Status.ORGANIZER_REVIEW, choices=Status.choices, protected=True)
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="disputes")
    record = models.ForeignKey(
        ServiceRecord, verbose_name=_("异议记录"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    certificate = models.ForeignKey(
        Certificate, verbose_name=_("异议证明"), null=True, blank=True, on_delete=models.PROTECT, related_name="disputes"
    )
    organization = models.ForeignKey(Organization, verbose_name=_("记录单位"), on_delete=models.PROTECT, related_name="+")
    handling_organization = models.ForeignKey(
        Organization, verbose_name=_("办理单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supervisor = models.ForeignKey(
        "directory.Department", verbose_name=_("复核部门"), on_delete=models.PROTECT, related_name="+"
    )
    claim = models.TextField(_("异议内容"))
    claimed_hours = models.DecimalField(_("主张时长（小时）"), max_digits=7, decimal_places=2, null=True, blank=True)
    decision_reason = models.TextField(_("处理意见"), blank=True)
    appeal_until = models.DateTimeField(_("申诉期限"), null=True, blank=True)
    appeal_reason = models.TextField(_("申诉理由"), blank=True)
    escalated = models.BooleanField(_("逾期升级"), default=False)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["-created_at"]

    def title(self):
        return f"{self.reference} {self.volunteer.real_name} 的异议"

    def visible_to(self, user) -> bool:
        from engine.directory import rights

        return bool(
            (self.volunteer.user_id and self.volunteer.user_id == user.pk)
            or {self.organization_id, self.handling_organization_id} & rights.organization_ids(user)
        )

    @transition(field=status, source=[Status.ORGANIZER_REVIEW, Status.SUPERVISOR_REVIEW], target=Status.UPHELD)
    def uphold(self, reason):
        self.decision_reason = reason

    @transition(field=status, source=Status.ORGANIZER_REVIEW, target=Status.REFUSED)
    def refuse(self, reason, appeal_until):
        self.decision_reason, self.appeal_until = reason, appeal_until

    @transition(field=status, source=Status.SUPERVISOR_REVIEW, target=Status.REFUSED_FINAL)
    def refuse_final(self, reason):
        self.decision_reason = reason

    @transition(field=status, source=Status.REFUSED, target=Status.SUPERVISOR_REVIEW,
                conditions=[lambda d: d.appeal_until is None or timezone.now() <= d.appeal_until])
    def appeal(self, reason):
        self.appeal_reason = reason

    @transition(field=status, source=Status.ORGANIZER_REVIEW, target=Status.SUPERVISOR_REVIEW)
    def escalate(self):
        self.escalated = True

    @transition(field=status, source=Status.REFUSED, target=Status.CLOSED)
    def close(self):
        pass


class AuthenticityReport(Case):
    """A third party reports a certificate that failed verification; 民政局 investigates (R10)."""

    REFERENCE_PREFIX = "ZJ"
    FINAL_STATES = ("confirmed", "dismissed")
    PROCESS_NAME = "certification"

    class Status(models.TextChoices):
        INVESTIGATING = "investigating", _("核查中")
        CONFIRMED = "confirmed", _("确认不实")
        DISMISSED = "dismissed", _("证明属实")

    status = FSMField(_("状态"), default=Status.INVESTIGATING, choices=Status.choices, protected=True)
    number = models.CharField(_("证明编号"), max_length=32)
    code = models.CharField(_("验证码"), max_length=16, blank=True)
    certificate = models.ForeignKey(
        Certificate, verbose_name=_("对应证明"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verification_result = models.CharField(_("核验结果"), max_length=32)
    reporter_name = models.CharField(_("举报人"), max_length=64)
    reporter_contact = models.CharField(_("联系方式"), max_length=64)
    description = models.TextField(_("情况说明"))
    finding = models.TextField(_("核查结论"), blank=True)

    class Meta:
        verbose_name = _("证明真实性核查")
        verbose_name_plural = _("证明真实性核查")
        ordering = ["-created_at"]

    RESULT_LABELS = {"valid": _("有效"), "revoked": _("已撤销"), "superseded": _("已被替代"),
                     "invalid": _("签名不符"), "not_found": _("未找到")}

    def title(self):
        return f"{self.reference} 证明 {self.number} 真实性核查"

    def verification_result_label(self):
        """The public check's answer when the report was filed, in words (R10)."""
        return self.RESULT_LABELS.get(self.verification_result, self.verification_result)

    verification_result_label.short_description = _("核验结果")

    @transition(field=status, source=Status.INVESTIGATING, target=Status.CONFIRMED)
    def confirm(self, finding):
        self.finding = finding

    @transition(field=status, source=Status.INVESTIGATING, target=Status.DISMISSED)
    def dismiss(self, finding):
        self.finding = finding
