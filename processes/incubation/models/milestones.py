"""Milestones of the incubation period (I4) and nominations after graduation (I6)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import IncubationApplication


class Milestone(models.Model):
    """A recorded incubation milestone with its evidence (I4): registration, training, project."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("登记协助")
        TRAINING = "training", _("能力建设培训")
        PROJECT = "project", _("志愿服务项目")

    application = models.ForeignKey(
        IncubationApplication, verbose_name=_("孵化申请"), on_delete=models.PROTECT, related_name="milestones"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    happened_on = models.DateField(_("日期"))
    evidence = models.TextField(_("佐证材料"))
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("孵化里程碑")
        verbose_name_plural = _("孵化里程碑")
        ordering = ["happened_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"


class Nomination(models.Model):
    """I6: a graduated organization to the demonstration list, or one of its projects to the
    excellent project library; 民政局 approves."""

    class Kind(models.TextChoices):
        DEMONSTRATION = "demonstration", _("示范性志愿服务组织")
        PROJECT_LIBRARY = "project_library", _("优秀志愿服务项目库")

    class State(models.TextChoices):
        PENDING = "pending", _("待民政局审批")
        APPROVED = "approved", _("已入选")
        REFUSED = "refused", _("未入选")

    application = models.ForeignKey(
        IncubationApplication, verbose_name=_("孵化申请"), on_delete=models.PROTECT, related_name="nominations"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    project = models.ForeignKey(
        Milestone, verbose_name=_("项目"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.PENDING)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("推荐人"), on_delete=models.PROTECT,
                                     related_name="+")
    nominated_at = models.DateTimeField(_("推荐时间"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    reason = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("推荐")
        verbose_name_plural = _("推荐")
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "project"], name="incubation_nomination_once"),
        ]

    @property
    def is_pending(self) -> bool:
        """Waiting for 民政局's decision (I6)."""
        return self.state == self.State.PENDING
