"""The audit trail (D4): append-only, hash-chained events for every change of state."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class ChainHead(models.Model):
    """The single row that holds the chain's tip; appenders lock it so links never fork."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")


class AuditEvent(models.Model):
    """One change: who, when, what before and after, and why. Never updated, never deleted."""

    seq = models.PositiveBigIntegerField(_("序号"), unique=True, editable=False)
    at = models.DateTimeField(_("时间"), editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_constraint=False,
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True, editable=False)
    action = models.CharField(_("动作"), max_length=64, editable=False)
    object_type = models.CharField(_("对象类型"), max_length=100, editable=False)
    object_id = models.CharField(_("对象编号"), max_length=64, editable=False)
    reference = models.CharField(_("案件编号"), max_length=32, blank=True, db_index=True, editable=False)
    before = models.JSONField(_("变更前"), default=dict, editable=False)
    after = models.JSONField(_("变更后"), default=dict, editable=False)
    reason = models.TextField(_("原因"), blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计日志")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.reference or self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("审计事件只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计事件只能追加，不能删除。")
