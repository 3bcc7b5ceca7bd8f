"""Disputes about a record or certificate (R6, the dispute lifecycle) and reports of certificates
that fail verification (R10)."""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from engine.cases.models import Case
from engine.directory import rights
from engine.directory.models import Organization

from .certificates import Certificate
from .records import ServiceRecord
from .volunteers import Volunteer, VolunteerPartyMixin


class Dispute(VolunteerPartyMixin, Case):
    """异议: a volunteer contests a record or a certificate (R6). The organizer reviews; a
    refusal may be appealed to the supervising department; an overdue organizer review
    escalates there (D2); a dissolved organizer's dispute follows R9."""

    REFERENCE_PREFIX = "YY"
    PROCESS_NAME = "certification"

    class Status(models.TextChoices):
        ORGANIZER_REVIEW = "organizer_review", _("组织单位核查")
        REFUSED = "refused", _("组织单位不予更正")
        SUPERVISOR_REVIEW = "supervisor_review", _("主管部门复核")
        UPHELD = "upheld", _("已更正")
        REFUSED_FINAL = "refused_final", _("复核维持")
        CLOSED = "closed", _("已结案")

    FINAL_STATES = (Status.UPHELD, Status.REFUSED_FINAL, Status.CLOSED)

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
    PROCESS_NAME = "certification"

    class Status(models.TextChoices):
        INVESTIGATING = "investigating", _("核查中")
        CONFIRMED = "confirmed", _("确认不实")
        DISMISSED = "dismissed", _("证明属实")

    FINAL_STATES = (Status.CONFIRMED, Status.DISMISSED)

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
