"""Recruitment (seed 二(一)) and training requirements (seed 二(二), 谁招募谁培训).

An organization publishes a ``Recruitment`` for one of its certification activities, in time
slots with a number of places each; volunteers sign up (``SignUp``), first come first served,
the rest wait-listed in order; the organization selects. An emergency recruitment is pushed to
matching volunteers (``EmergencyCall``) who answer within a short window. An activity type may
require a training (``ActivityType.requires_training``): a training session is a certification
activity of category TRAINING (R2a) that ``TrainingQualification`` declares to qualify for it."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition
from viewflow.workflow.models import Process

from engine.cases.models import Case
from engine.directory import rights
from engine.directory.models import District
from processes.certification.models import Activity, Volunteer


class Skill(models.Model):
    """A skill a recruitment asks for and a volunteer declares (急救, 外语, 心理疏导…)."""

    name = models.CharField(pgettext_lazy("skill", "Name"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("Skill")
        verbose_name_plural = _("Skill")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ActivityType(models.Model):
    """A kind of service (应急救援, 大型赛会…); ``requires_training`` says a volunteer must have
    an approved record of a qualifying training before being selected (seed 二(二))."""

    name = models.CharField(pgettext_lazy("activity type", "Name"), max_length=64, unique=True)
    requires_training = models.BooleanField(_("Requires training before selection"), default=False)

    class Meta:
        verbose_name = _("Activity type")
        verbose_name_plural = _("Activity type")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TrainingQualification(models.Model):
    """A training session (a certification activity of category TRAINING, R2a) that qualifies
    its trained volunteers for an activity type."""

    activity = models.OneToOneField(Activity, verbose_name=_("Training session"), on_delete=models.CASCADE,
                                    related_name="qualification",
                                    limit_choices_to={"category": Activity.Category.TRAINING})
    activity_type = models.ForeignKey(ActivityType, verbose_name=_("Qualifies for"), on_delete=models.CASCADE,
                                      related_name="trainings")

    class Meta:
        verbose_name = _("Qualifying training")
        verbose_name_plural = _("Qualifying training")

    def __str__(self):
        return f"{self.activity} → {self.activity_type}"


class VolunteerProfile(models.Model):
    """What a volunteer declares for matching: skills and whether emergency calls may reach them."""

    volunteer = models.OneToOneField(Volunteer, verbose_name=_("Volunteer"), on_delete=models.CASCADE,
                                     related_name="recruitment_profile")
    skills = models.ManyToManyField(Skill, verbose_name=_("Skills"), blank=True, related_name="+")
    emergency_available = models.BooleanField(_("Available for emergency calls"), default=True)

    class Meta:
        verbose_name = _("Volunteer profile")
        verbose_name_plural = _("Volunteer profile")

    def __str__(self):
        return str(self.volunteer)


class RecruitmentProcess(Process):
    class Meta:
        proxy = True
        verbose_name = _("Volunteer recruitment process")


class Recruitment(Case):
    """An organization's call for volunteers for one of its activities (seed 二(一)).

    A case like every other: while it is open, selecting the volunteers and closing it is a
    task of ``flows.RecruitmentFlow`` routed to the organization's supervising department and
    handed to the organization's managers (R1), due when the first time slot starts (an
    emergency recruitment's when its answer window ends)."""

    REFERENCE_PREFIX = "ZP"  # 招募 (recruitment): ZP-2026-000001
    PROCESS_NAME = "recruitment"
    TITLE_FORMAT = _("%(reference)s recruitment: %(title)s")
    TITLE_FIELDS = {"title": "title"}

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular")
        EMERGENCY = "emergency", _("Emergency")

    class Mode(models.TextChoices):
        ONLINE = "online", _("Online")
        OFFLINE = "offline", _("Offline")

    class Risk(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("recruitment", "Open")
        CLOSED = "closed", pgettext_lazy("recruitment", "Closed")
        CANCELLED = "cancelled", pgettext_lazy("recruitment", "Cancelled")

    activity = models.OneToOneField(Activity, verbose_name=_("Activity"), on_delete=models.PROTECT,
                                    related_name="recruitment")
    activity_type = models.ForeignKey(ActivityType, verbose_name=_("Activity type"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="recruitments")
    title = models.CharField(_("Title"), max_length=128)
    description = models.TextField(_("Description"), blank=True, max_length=2000)
    kind = models.CharField(_("Kind"), max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    mode = models.CharField(_("Mode"), max_length=16, choices=Mode.choices, default=Mode.ONLINE)
    district = models.ForeignKey(District, verbose_name=_("District"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("Place"), max_length=128)
    skills = models.ManyToManyField(Skill, verbose_name=_("Skills"), blank=True, related_name="recruitments")
    min_age = models.PositiveSmallIntegerField(_("Minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("Maximum age"), null=True, blank=True)
    risk = models.CharField(_("Risk level"), max_length=16, choices=Risk.choices, default=Risk.LOW)
    answer_by = models.DateTimeField(_("Answer by"), null=True, blank=True,
                                     help_text=_("Emergency recruitments: answers are taken until then."))
    status = FSMField(_("Status"), default=Status.OPEN, choices=Status.choices, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("Created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("Recruitment")
        verbose_name_plural = _("Recruitment")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True) | models.Q(max_age__isnull=True)
                | models.Q(max_age__gte=models.F("min_age")),
                name="recruitment_age_range", violation_error_message=_("The maximum age is below the minimum age.")),
        ]

    FINAL_STATES = (Status.CLOSED, Status.CANCELLED)  # closed: no more sign-ups, the case is done

    def __str__(self):
        return self.title

    @property
    def organization(self):
        return self.activity.organization

    def search_words(self):
        """Found in the queues by the organization's name and the place besides the title."""
        return [self.activity.organization.name, self.place]

    def visible_to(self, user) -> bool:
        """The members of the organization that runs the activity see it as its party."""
        return self.activity.organization_id in rights.organization_ids(user)

    @transition(field=status, source=Status.OPEN, target=Status.CLOSED)
    def close(self):
        pass

    @transition(field=status, source=[Status.OPEN, Status.CLOSED], target=Status.CANCELLED)
    def cancel(self):
        pass


class Slot(models.Model):
    """A time slot of a recruitment with its number of places."""

    recruitment = models.ForeignKey(Recruitment, verbose_name=_("Recruitment"), on_delete=models.CASCADE,
                                    related_name="slots")
    start_at = models.DateTimeField(_("Starts at"))
    end_at = models.DateTimeField(_("Ends at"))
    places = models.PositiveSmallIntegerField(_("Places"))

    class Meta:
        verbose_name = _("Time slot")
        verbose_name_plural = _("Time slot")
        ordering = ["start_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_at__gt=models.F("start_at")), name="slot_ends_after_start",
                                   violation_error_message=_("The end must be later than the start.")),
            models.CheckConstraint(condition=models.Q(places__gt=0), name="slot_places_positive",
                                   violation_error_message=_("A time slot needs at least one place.")),
        ]

    def __str__(self):
        return f"{self.recruitment} {timezone.localtime(self.start_at):%Y-%m-%d %H:%M}"


class SignUp(FSMModelMixin, models.Model):
    """A volunteer's sign-up for a slot. ``applied`` and ``selected`` hold a place; beyond the
    places a sign-up waits (``waitlisted``) in order of ``created_at`` and is promoted to
    ``applied`` when a place frees."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Signed up")
        WAITLISTED = "waitlisted", _("Wait-listed")
        SELECTED = "selected", _("Selected")
        DECLINED = "declined", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Source(models.TextChoices):
        PORTAL = "portal", _("Signed up online")
        EMERGENCY = "emergency", _("Answered an emergency call")
        ON_SPOT = "on_spot", _("Registered on the spot")

    HOLDING = (Status.APPLIED, Status.SELECTED)
    ACTIVE = (Status.APPLIED, Status.SELECTED, Status.WAITLISTED)

    slot = models.ForeignKey(Slot, verbose_name=_("Time slot"), on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("Volunteer"), on_delete=models.PROTECT,
                                  related_name="signups")
    status = FSMField(_("Status"), default=Status.APPLIED, choices=Status.choices, protected=True)
    source = models.CharField(_("Source"), max_length=16, choices=Source.choices, default=Source.PORTAL)
    consent_note = models.CharField(_("How consent was given"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("Signed up at"), default=timezone.now, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("Decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Sign-up")
        verbose_name_plural = _("Sign-up")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "volunteer"], condition=models.Q(status__in=["applied", "selected", "waitlisted"]),
                name="signup_once_per_slot", violation_error_message=_("Already signed up for this time slot.")),
        ]

    def __str__(self):
        return f"{self.volunteer.real_name} · {self.slot}"

    @transition(field=status, source=Status.WAITLISTED, target=Status.APPLIED)
    def promote(self):
        pass

    @transition(field=status, source=Status.APPLIED, target=Status.SELECTED)
    def select(self, by):
        self.decided_by, self.decided_at = by, timezone.now()

    @transition(field=status, source=[Status.APPLIED, Status.WAITLISTED], target=Status.DECLINED)
    def decline(self, by):
        self.decided_by, self.decided_at = by, timezone.now()

    @transition(field=status, source=[Status.APPLIED, Status.WAITLISTED, Status.SELECTED], target=Status.WITHDRAWN)
    def withdraw(self):
        pass


class EmergencyCall(models.Model):
    """An emergency recruitment pushed to one matching volunteer, and their answer."""

    class Answer(models.TextChoices):
        YES = "yes", _("Coming")
        NO = "no", _("Cannot come")

    recruitment = models.ForeignKey(Recruitment, verbose_name=_("Recruitment"), on_delete=models.CASCADE,
                                    related_name="calls")
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("Volunteer"), on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(_("Sent at"), default=timezone.now)
    answer = models.CharField(_("Answer"), max_length=8, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(_("Answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Emergency call")
        verbose_name_plural = _("Emergency call")
        ordering = ["sent_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["recruitment", "volunteer"], name="emergency_call_once")]

    def __str__(self):
        return f"{self.recruitment} → {self.volunteer.real_name}"
