"""One import run as the user sees it: who started it, what file, how far it got, what went wrong."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .storage import import_file_storage


class ImportJob(models.Model):
    """A submitted (not dry-run) import; small files finish inline, large ones in a Celery task.
    ``error_report`` holds the first errors only (setting); ``error_count`` all of them."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="import_jobs",
    )
    resource = models.CharField(_("导入类型"), max_length=64)
    # Private storage outside MEDIA_ROOT (D6: full ID numbers); emptied when the job ends.
    file = models.FileField(_("文件"), upload_to="%Y/%m/", storage=import_file_storage, blank=True)
    file_digest = models.CharField(_("文件摘要（SHA-256）"), max_length=64, blank=True)
    file_size = models.PositiveBigIntegerField(_("文件大小（字节）"), default=0)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    skipped_count = models.PositiveIntegerField(_("未变化"), default=0)
    error_report = models.JSONField(_("错误报告"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # Written with the progress while a job runs; a running job silent for too long is dead.
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
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
