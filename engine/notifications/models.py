from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message in a user's in-app inbox; also mailed and texted as the user's preferences say
    (``by_email``, ``by_sms``, decided when it is created)."""

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
    by_email = models.BooleanField(_("Send by e-mail"), default=True)
    emailed_at = models.DateTimeField(_("Mailed at"), null=True, blank=True)
    email_claimed_at = models.DateTimeField(_("Mail sending started at"), null=True, blank=True, editable=False)
    by_sms = models.BooleanField(_("Send by text message"), default=False)
    sms_sent_at = models.DateTimeField(_("Text message sent at"), null=True, blank=True)
    sms_claimed_at = models.DateTimeField(_("Text message sending started at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("In-app notification")
        verbose_name_plural = _("In-app notification")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "read_at", "created_at"]),
            models.Index(fields=["created_at"], condition=models.Q(emailed_at__isnull=True), name="notification_unmailed"),
            models.Index(fields=["created_at"], condition=models.Q(by_sms=True, sms_sent_at__isnull=True),
                         name="notification_unsent_sms"),
        ]

    def __str__(self):
        return self.title


class Preferences(models.Model):
    """A user's language for what is sent to them and, per kind of notification, the channels
    beside the in-app inbox (``channels``: {category: ["email", "sms"]}; a category missing
    from it takes the defaults of ``engine.notifications.kinds``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("User"), on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    language = models.CharField(_("Language"), max_length=16, choices=settings.LANGUAGES, blank=True)
    channels = models.JSONField(_("Channels by kind"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Notification preferences")
        verbose_name_plural = _("Notification preferences")

    def __str__(self):
        return str(self.user)


class SentReminder(models.Model):
    """A reminder or digest that went out: the unique key makes each go out at most once
    however often, and on however many workers, the sweep runs. A deadline that moves is a
    new deadline and is reminded of again."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Recipient"), on_delete=models.CASCADE, related_name="+",
    )
    kind = models.CharField(_("Kind"), max_length=64)
    object_type = models.CharField(_("Object type"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("Object"))
    deadline = models.DateTimeField(_("Deadline"))
    sent_at = models.DateTimeField(_("Sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Sent reminder")
        verbose_name_plural = _("Sent reminders")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "object_type", "object_id", "deadline"],
                                    name="notification_reminder_once"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_type}#{self.object_id}"
