from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message in a user's in-app inbox; also mailed when the user has an address."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Recipient"), on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField(_("Title"), max_length=200)
    body = models.TextField(_("Content"), blank=True)
    link = models.CharField(_("Link"), max_length=300, blank=True)
    kind = models.CharField(_("Kind"), max_length=64, blank=True, db_index=True)
    reference = models.CharField(_("Case number"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("Time"), auto_now_add=True)
    read_at = models.DateTimeField(_("Read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("Mailed at"), null=True, blank=True)
    email_claimed_at = models.DateTimeField(_("Mail sending started at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("In-app notification")
        verbose_name_plural = _("In-app notification")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "read_at", "created_at"]),
            models.Index(fields=["created_at"], condition=models.Q(emailed_at__isnull=True), name="notification_unmailed"),
        ]

    def __str__(self):
        return self.title
