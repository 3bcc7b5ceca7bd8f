"""Enquiries (澄清问题) on a published tender: during the enquiry period a registered organization
asks, the purchasing department answers, and the answer is published on the tender's public page
and in its OCDS release (P10, ``tender.enquiries``) without the asker's identity."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine.directory.models import Organization

from .tenders import Tender


class EnquiryQuerySet(models.QuerySet):
    def answered(self):
        return self.filter(answered_at__isnull=False)

    def unanswered(self):
        return self.filter(answered_at__isnull=True)


class Enquiry(models.Model):
    """One question and, once given, its public answer. The asking organization and person are
    kept for the department and the audit trail only; nothing public names them."""

    tender = models.ForeignKey(Tender, verbose_name=_("tender"), on_delete=models.PROTECT, related_name="enquiries")
    organization = models.ForeignKey(Organization, verbose_name=_("asking organization"), on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("subject"), max_length=200)
    question = models.TextField(_("question"))
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    due_at = models.DateTimeField(_("answer due"))
    due_provisional = models.BooleanField(_("due time provisional"), default=False, editable=False)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("overdue reminder sent at"), null=True, blank=True, editable=False)

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")
        ordering = ["asked_at", "pk"]
        indexes = [
            models.Index(fields=["tender", "answered_at"], name="procurement_enquiry_tender_idx"),
            models.Index(fields=["answered_at", "due_at"], name="procurement_enquiry_open_idx"),
        ]
        constraints = [
            # an answer is given once, with its time and author, or not at all
            models.CheckConstraint(
                condition=(Q(answered_at__isnull=True, answered_by__isnull=True, answer="")
                           | (Q(answered_at__isnull=False, answered_by__isnull=False) & ~Q(answer=""))),
                name="procurement_enquiry_answer_complete",
            ),
        ]

    def __str__(self):
        return f"{self.tender.reference} · {self.title}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def overdue(self) -> bool:
        return not self.is_answered and timezone.now() > self.due_at
