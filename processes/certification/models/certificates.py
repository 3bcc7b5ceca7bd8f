"""Certificate requests (the case, R7, R9, R15) and the certificates issued (R8, R10): a signed,
numbered, registered snapshot of approved records."""
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from engine.cases.models import Case
from engine.directory import rights
from engine.directory.models import Organization

from .records import ServiceRecord
from .volunteers import Volunteer, VolunteerPartyMixin


class CertificateRequest(VolunteerPartyMixin, Case):
    """A volunteer's request for a certificate (证明), or the organization's on behalf of a
    volunteer without an account (R7). Verified and issued by the organization that answers
    for the recording unit now (R1, R9)."""

    REFERENCE_PREFIX = "ZM"
    PROCESS_NAME = "certification"

    class Status(models.TextChoices):
        VERIFYING = "verifying", _("核实中")
        SEALING = "sealing", _("待盖章")
        NOTICE = "notice", _("公示中")
        ISSUED = "issued", _("已出具")
        REFUSED = "refused", _("不予出具")
        WITHDRAWN = "withdrawn", _("已撤回")

    FINAL_STATES = (Status.ISSUED, Status.REFUSED, Status.WITHDRAWN)
    OPEN_STATES = (Status.VERIFYING, Status.SEALING, Status.NOTICE)

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

    @property
    def badge(self) -> str:
        """The badge style pages show its status in: a valid certificate is good news."""
        return "ok" if self.status == self.Status.VALID else "warn"

    @transition(field=status, source=Status.VALID, target=Status.SUPERSEDED)
    def supersede(self, replacement):
        self.superseded_by = replacement

    @transition(field=status, source=Status.VALID, target=Status.REVOKED)
    def revoke(self, reason):
        self.revoked_at, self.revoke_reason = timezone.now(), reason
