"""What the workbench keeps per person: their saved filters of the task lists."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedFilter(models.Model):
    """A named query string of one task list (inbox, queue or done), shown with its count."""

    class View(models.TextChoices):
        INBOX = "inbox", _("My tasks")
        QUEUE = "queue", _("Department queue")
        ARCHIVE = "archive", _("Completed tasks")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="saved_filters")
    view = models.CharField(_("list"), max_length=16, choices=View.choices)
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("filters"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    MAX_PER_USER = 12  # the counts beside them are one query, but a list of names stays short

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["view", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "view", "name"], name="saved_filter_unique_name")]

    def __str__(self):
        return self.name
