"""Activities and the service records of the volunteers who served there (R1–R3, R6, R12, R13).

A correction writes a new record version (R6); only approved, current, non-deleted hours count
(R13); hours from sign-in/out are system-made, back-fills are a separate kind (R12)."""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from engine.directory import rights
from engine.directory.models import Organization, OrganizationMember

from .volunteers import Volunteer


class Activity(models.Model):
    """A volunteer activity run by one organization (R1, R2)."""

    class Category(models.TextChoices):
        SERVICE = "service", _("Volunteer service")
        TRAINING = "training", _("Training")
        COMMENDATION = "commendation", _("Commendation")
        EVALUATION = "evaluation", _("Evaluation")

    organization = models.ForeignKey(
        Organization, verbose_name=_("Organizer"), on_delete=models.PROTECT, related_name="activities"
    )
    name = models.CharField(_("Activity name"), max_length=128)
    category = models.CharField(_("Category"), max_length=16, choices=Category.choices, default=Category.SERVICE)
    place = models.CharField(_("Place"), max_length=128)
    content = models.TextField(_("Service content"), blank=True)
    start_at = models.DateTimeField(_("Starts at"))
    end_at = models.DateTimeField(_("Ends at"))
    person_in_charge = models.CharField(_("Person in charge"), max_length=64)
    # seed 二(三): a possibly dangerous activity needs accident insurance for every participant
    dangerous = models.BooleanField(_("Possibly dangerous to life or health"), default=False,
                                    help_text=_("It cannot start and nobody can sign in until every participant is insured."))
    started_at = models.DateTimeField(_("Started at"), null=True, blank=True, editable=False)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Started by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("Created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("Volunteer activity")
        verbose_name_plural = _("Volunteer activity")
        ordering = ["-start_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_at__gt=models.F("start_at")), name="activity_ends_after_start",
                violation_error_message=_("The end must be later than the start."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def length_hours(self) -> Decimal:
        """R12: the cap for back-filled hours."""
        seconds = Decimal((self.end_at - self.start_at).total_seconds())
        return (seconds / Decimal(3600)).quantize(Decimal("0.01"))

    @property
    def has_ended(self) -> bool:
        """Past its end: its roster no longer changes and nobody starts it (PR1)."""
        return timezone.now() > self.end_at


class ServiceRecordQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True, is_deleted=False)

    def counting(self):
        """R13: only approved, current, non-deleted records count."""
        return self.current().filter(status=ServiceRecord.Status.APPROVED)

    def with_backfill_approver(self):
        """R12, the one definition of who approves a back-fill: a manager of the organization
        other than the one who entered it; with no such active manager, the staff of the
        organization's supervising department. Annotates ``department_approves`` (True for a
        back-fill the department approves; False otherwise, sign-in records included)."""
        other_manager = OrganizationMember.objects.filter(
            organization=OuterRef("activity__organization"), role=OrganizationMember.Role.MANAGER,
            user__is_active=True,
        ).exclude(user=Coalesce(OuterRef("entered_by"), Value(0)))  # entrant's account gone: every manager is another
        return self.annotate(department_approves=ExpressionWrapper(
            Q(source=ServiceRecord.Source.BACKFILL) & ~Exists(other_manager), output_field=BooleanField()))


class ServiceRecord(FSMModelMixin, models.Model):
    """Hours one volunteer served at one activity. A correction writes a new row linked to
    the one it replaces (R6); deletion only marks the row (R13).

    A back-fill carries its evidence (a photo of the sign-in sheet, R12) with
    ``engine.documents`` (kind ``backfill_evidence``, ``documents.py``), so the record plays the
    document's case, as ``InsurancePolicy`` does: a reference (``BL-<id>``, read from the id, no
    column), a department (the organization's supervising department), the process, who may see
    it (``visible_to``) and when its documents are final (``is_final``)."""

    PROCESS_NAME = "certification"
    DOCUMENT_PREFIX = "BL"  # 补录: not an engine case prefix (``Case.REFERENCE_PREFIX``)

    class Source(models.TextChoices):
        SIGNIN = "signin", _("Sign-in and sign-out")
        BACKFILL = "backfill", _("Back-filled by hand")

    class Status(models.TextChoices):
        ENTERED = "entered", _("Entered")
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", pgettext_lazy("certification", "Approved")
        DENIED = "denied", _("Denied")

    volunteer = models.ForeignKey(Volunteer, verbose_name=_("Volunteer"), on_delete=models.PROTECT, related_name="records")
    activity = models.ForeignKey(Activity, verbose_name=_("Activity"), on_delete=models.PROTECT, related_name="records")
    hours = models.DecimalField(_("Service hours"), max_digits=7, decimal_places=2)
    content = models.CharField(_("Service content"), max_length=200, blank=True)
    source = models.CharField(_("Source"), max_length=16, choices=Source.choices)
    status = FSMField(_("Status"), default=Status.ENTERED, choices=Status.choices, protected=True)
    late = models.BooleanField(_("Entered late"), default=False, help_text=_("Entered more than 10 workdays after the activity ended."))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Entered by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(_("Entered at"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Reviewer"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("Reviewed at"), null=True, blank=True)
    review_reason = models.CharField(_("Review comment"), max_length=500, blank=True)
    version = models.PositiveSmallIntegerField(_("Version"), default=1)
    previous = models.OneToOneField(
        "self", verbose_name=_("Previous version"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="next_version",
    )
    is_current = models.BooleanField(_("Current version"), default=True)
    correction_reason = models.CharField(_("Reason for correction"), max_length=500, blank=True)
    is_deleted = models.BooleanField(_("Deleted"), default=False)
    deleted_at = models.DateTimeField(_("Deleted at"), null=True, blank=True)
    deleted_reason = models.CharField(_("Reason for deletion"), max_length=500, blank=True)

    objects = ServiceRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("Service record")
        verbose_name_plural = _("Service record")
        ordering = ["-entered_at", "-pk"]
        indexes = [models.Index(fields=["volunteer", "is_current", "is_deleted", "status"])]
        constraints = [
            # service and training carry hours (> 0, checked by the service); a commendation or
            # an evaluation carries none (R2a)
            models.CheckConstraint(condition=models.Q(hours__gte=0), name="record_hours_not_negative",
                                   violation_error_message=_("Service hours cannot be negative.")),
        ]

    def __str__(self):
        return _("%(name)s · %(activity)s · %(hours)s hours (version %(version)s)") % {
            "name": self.volunteer.real_name, "activity": self.activity.name, "hours": self.hours,
            "version": self.version}

    @property
    def organization(self):
        return self.activity.organization

    @property
    def reference(self) -> str:
        """The reference the record's documents and their audit events carry (``BL-<id>``)."""
        return f"{self.DOCUMENT_PREFIX}-{self.pk}" if self.pk else ""

    @classmethod
    def pk_of_reference(cls, reference) -> int | None:
        """The id a ``BL-<id>`` reference names, or None for anything else."""
        prefix, _sep, number = str(reference or "").partition("-")
        return int(number) if prefix == cls.DOCUMENT_PREFIX and number.isdigit() and len(number) < 19 else None

    @property
    def department(self):
        """The recording organization's supervising department (R12: it approves a back-fill
        when the organization has no other manager)."""
        return self.activity.organization.supervising_department

    @property
    def department_id(self):
        return self.activity.organization.supervising_department_id

    @property
    def is_final(self) -> bool:
        """Reviewed (approved or denied), corrected or deleted: its evidence is final (R12, R13)."""
        return self.status in (self.Status.APPROVED, self.Status.DENIED) or self.is_deleted or not self.is_current

    def visible_to(self, user) -> bool:
        """The recording organization's members and the volunteer themself (R5)."""
        if user is None or not user.is_authenticated:
            return False
        if self.volunteer.user_id is not None and self.volunteer.user_id == user.pk:
            return True
        return self.activity.organization_id in rights.organization_ids(user)

    @property
    def badge(self) -> str:
        """The badge style pages show its review status in (R13)."""
        return {self.Status.APPROVED: "ok", self.Status.DENIED: "bad"}.get(self.status, "")

    @transition(field=status, source=Status.ENTERED, target=Status.PENDING)
    def submit(self):
        pass

    @transition(field=status, source=Status.PENDING, target=Status.APPROVED)
    def approve(self, by, reason=""):
        self.reviewed_by, self.reviewed_at, self.review_reason = by, timezone.now(), reason

    @transition(field=status, source=Status.PENDING, target=Status.DENIED)
    def deny(self, by, reason):
        self.reviewed_by, self.reviewed_at, self.review_reason = by, timezone.now(), reason


class Attendance(models.Model):
    """A volunteer's sign-in and sign-out at an activity, timestamped by the server (R12).
    The sign-out makes the sign-in service record; nobody types these times."""

    volunteer = models.ForeignKey(Volunteer, verbose_name=_("Volunteer"), on_delete=models.PROTECT,
                                  related_name="attendances")
    activity = models.ForeignKey(Activity, verbose_name=_("Activity"), on_delete=models.PROTECT, related_name="attendances")
    signed_in_at = models.DateTimeField(_("Signed in at"), editable=False)
    signed_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Signed in by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_out_at = models.DateTimeField(_("Signed out at"), null=True, blank=True, editable=False)
    signed_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Signed out by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    record = models.OneToOneField(
        ServiceRecord, verbose_name=_("Service record"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="attendance",
    )

    class Meta:
        verbose_name = _("Sign-in and sign-out")
        verbose_name_plural = _("Sign-in and sign-out")
        ordering = ["-signed_in_at"]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "activity"], name="attendance_once_per_activity",
                                    violation_error_message=_("This volunteer has already signed in to this activity.")),
        ]

    def __str__(self):
        return f"{self.volunteer.real_name} · {self.activity.name}"
