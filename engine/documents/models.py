"""A document of a case and its versions (issue #9, D4: nothing overwritten, nothing deleted)."""
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine.directory.models import Organization


class Document(models.Model):
    """One document of a case: its kind, who handed it in, and its versions (the current one is
    the highest number). Withdrawn documents stay, with their versions, for the record."""

    class Status(models.TextChoices):
        CURRENT = "current", _("Current")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case_type = models.ForeignKey(ContentType, verbose_name=_("kind of case"), on_delete=models.PROTECT, related_name="+")
    case_id = models.PositiveBigIntegerField(_("case number in its table"))
    reference = models.CharField(_("case reference"), max_length=32, db_index=True)
    process_name = models.CharField(_("process"), max_length=32)
    # the object of the case the document is about (a bid, a milestone, a dispute, a payment)
    subject_type = models.ForeignKey(ContentType, verbose_name=_("kind of subject"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField(_("subject number in its table"), null=True, blank=True)
    kind = models.CharField(_("kind of document"), max_length=32)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CURRENT)
    organization = models.ForeignKey(
        Organization, verbose_name=_("handed in by organization"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
        help_text=_("The organization on whose behalf it was uploaded; empty when staff uploaded it."),
    )
    latest_number = models.PositiveIntegerField(_("latest version"), default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("withdrawn by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdraw_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["case_type", "case_id", "created_at", "pk"]
        indexes = [
            models.Index(fields=["case_type", "case_id", "status"], name="document_case_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="document_subject_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=["current", "withdrawn"]), name="document_status_valid"),
            models.CheckConstraint(
                condition=models.Q(status="current", withdrawn_at__isnull=True)
                | models.Q(status="withdrawn", withdrawn_at__isnull=False),
                name="document_withdrawal_dated",
            ),
            models.CheckConstraint(condition=models.Q(latest_number__gte=1), name="document_has_a_version"),
            models.CheckConstraint(
                condition=models.Q(subject_type__isnull=True, subject_id__isnull=True)
                | models.Q(subject_type__isnull=False, subject_id__isnull=False),
                name="document_subject_whole",
            ),
        ]

    def __str__(self):
        return f"{self.reference} · {self.kind} #{self.pk}"

    @property
    def is_withdrawn(self):
        return self.status == self.Status.WITHDRAWN

    def get_absolute_url(self):
        """The current version's download."""
        return reverse("documents:download", args=[self.pk])


class DocumentVersion(models.Model):
    """One file as it was uploaded. Never changed and never deleted (database triggers)."""

    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.PROTECT,
                                 related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    blob = models.CharField(_("stored as"), max_length=255, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="document_version_positive"),
            models.CheckConstraint(condition=models.Q(size__gt=0), name="document_version_not_empty"),
        ]

    def __str__(self):
        return f"{self.original_name} (v{self.number})"

    def get_absolute_url(self):
        return reverse("documents:download_version", args=[self.document_id, self.number])
