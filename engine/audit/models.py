"""The audit trail (D4): append-only events for every change of state, sealed after the fact.

Writers only append: an event takes its ``seq`` from the database's own sequence and carries
the hash of its content, so concurrent steps on different cases never wait for each other.
A single sealing job (``engine.audit.sealing``) later puts the events in a gap-free order,
chains them (each seal's hash covers the previous one) and writes signed checkpoints outside
the database (``engine.audit.checkpoints``), against which ``audit_verify`` checks the trail.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AppendOnlyModel(models.Model):
    """Rows are inserted, never changed nor deleted (the database's triggers refuse it too)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(_("Audit records can only be appended, never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(_("Audit records can only be appended, never deleted."))


class AuditEvent(AppendOnlyModel):
    """One change: who, when, what before and after, and why."""

    seq = models.BigAutoField(_("sequence number"), primary_key=True)
    at = models.DateTimeField(_("time"), editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_constraint=False,
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=64, editable=False)
    object_type = models.CharField(_("object type"), max_length=100, editable=False)
    object_id = models.CharField(_("object ID"), max_length=64, editable=False)
    reference = models.CharField(_("case reference"), max_length=32, blank=True, db_index=True, editable=False)
    before = models.JSONField(_("before"), default=dict, editable=False)
    after = models.JSONField(_("after"), default=dict, editable=False)
    reason = models.TextField(_("reason"), blank=True, editable=False)
    hash = models.CharField(_("content hash"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("Audit log")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.reference or self.object_id}"


class AuditSeal(AppendOnlyModel):
    """An event's place in the sealed chain: gap-free ``position``, the event's content hash as
    sealed, and the chain hash over the previous seal's and this one's (RFC 6962 style log)."""

    position = models.PositiveBigIntegerField(_("seal position"), primary_key=True)
    event = models.OneToOneField(
        AuditEvent, verbose_name=_("audit event"), on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="seal",
    )
    event_hash = models.CharField(max_length=64)
    chain = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(_("sealed at"))

    class Meta:
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")
        ordering = ["position"]


class ChainHead(models.Model):
    """The sealed chain's tip. Only the sealing job locks it, never a writer."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)  # the last seal's position
    last_hash = models.CharField(max_length=64, default="0" * 64)
    scan_from = models.PositiveBigIntegerField(default=0)  # events up to here are all sealed

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")
