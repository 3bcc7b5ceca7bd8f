"""One import run as the user sees it: who started it, what file, how far it got, what went wrong."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .storage import import_file_storage


class ImportJob(models.Model):
    """A submitted (not dry-run) import; small files finish inline, large ones in a Celery task.
    ``error_report`` holds the first errors only (setting); ``error_count`` all of them."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="import_jobs",
    )
    resource = models.CharField(_("import type"), max_length=64)
    # Private storage outside MEDIA_ROOT (D6: full ID numbers); emptied when the job ends.
    file = models.FileField(_("file"), upload_to="%Y/%m/", storage=import_file_storage, blank=True)
    file_digest = models.CharField(_("file digest (SHA-256)"), max_length=64, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), default=0)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    total_rows = models.PositiveIntegerField(_("total rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    skipped_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_report = models.JSONField(_("error report"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Written with the progress while a job runs; a running job silent for too long is dead.
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self):
        return f"{self.resource} · {self.original_name} · {self.get_status_display()}"

    @property
    def percent(self) -> int:
        """Progress for a progress bar; a finished job is 100 whatever it counted."""
        if self.status == self.Status.DONE:
            return 100
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0
