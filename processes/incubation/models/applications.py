"""The incubation application, the case of this process (I1–I5), and its status.

Its FSM is the application lifecycle

    draft → submitted → intake_check → expert_review → approval → agreement → incubating
          → (midterm_review) → graduation_review → graduated | extended → graduation_review | exited
    intake_check → returned → submitted     any state before agreement → withdrawn | rejected

plus ``waitlisted``: approved by 民政局 while the base was full (I3), waiting in order of
approval for a place.
"""
from decimal import Decimal

from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from engine.cases.models import Case, TaskRoute
from engine.directory import rights
from engine.directory.models import Organization, OrganizationMember


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    INTAKE_CHECK = "intake_check", _("In intake check")
    RETURNED = "returned", _("Returned")
    EXPERT_REVIEW = "expert_review", _("In expert review")
    APPROVAL = "approval", _("Awaiting approval by the Civil Affairs Bureau")
    WAITLISTED = "waitlisted", _("Approved, waiting for a place")
    AGREEMENT = "agreement", _("Agreement being signed")
    INCUBATING = "incubating", _("Incubating")
    MIDTERM_REVIEW = "midterm_review", _("In midterm review")
    GRADUATION_REVIEW = "graduation_review", _("In graduation review")
    EXTENDED = "extended", _("Extended incubation")
    GRADUATED = "graduated", _("Graduated")
    EXITED = "exited", _("Exited")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Rejected")


BEFORE_AGREEMENT = [
    Status.DRAFT, Status.SUBMITTED, Status.INTAKE_CHECK, Status.RETURNED, Status.EXPERT_REVIEW,
    Status.APPROVAL, Status.WAITLISTED,
]
# States that occupy one of the base's places (I3).
ADMITTED = [
    Status.AGREEMENT, Status.INCUBATING, Status.MIDTERM_REVIEW, Status.GRADUATION_REVIEW, Status.EXTENDED,
]


class IncubationApplication(Case):
    """An organization's application to an incubation base and its incubation (孵化申请)."""

    REFERENCE_PREFIX = "FH"
    FINAL_STATES = (Status.GRADUATED, Status.EXITED, Status.WITHDRAWN, Status.REJECTED)
    PROCESS_NAME = "incubation"
    TITLE_FORMAT = _("%(reference)s %(organization)s incubation application")
    TITLE_FIELDS = {"organization": "organization__name"}

    status = FSMField(_("Status"), default=Status.DRAFT, protected=True, choices=Status.choices, db_index=True)
    organization = models.ForeignKey(
        Organization, verbose_name=_("Applying organization"), on_delete=models.PROTECT,
        related_name="incubation_applications",
    )
    plan = models.TextField(_("Incubation needs and development plan"))
    documents = models.JSONField(_("Application documents"), default=list, blank=True, help_text=_("A list of document names."))
    return_reason = models.TextField(_("Reason for return"), blank=True)
    decision_reason = models.TextField(_("Reason for rejection or exit"), blank=True)
    submitted_at = models.DateTimeField(_("Submitted at"), null=True, blank=True)
    expert_average = models.DecimalField(_("Expert average score"), max_digits=5, decimal_places=2, null=True, blank=True)
    approved_at = models.DateTimeField(_("Approved at"), null=True, blank=True, db_index=True)
    admitted_at = models.DateTimeField(_("Admitted at"), null=True, blank=True)
    agreement_terms = models.TextField(_("Key terms of the incubation agreement"), blank=True)
    agreement_offered_at = models.DateTimeField(_("Agreement offered at"), null=True, blank=True)
    agreement_accepted_at = models.DateTimeField(_("Agreement accepted at"), null=True, blank=True)
    incubation_start = models.DateField(_("Incubation start"), null=True, blank=True)
    incubation_end = models.DateField(_("Incubation end"), null=True, blank=True)
    midterm_planned = models.BooleanField(_("Midterm review planned"), default=False)
    midterm_done_at = models.DateTimeField(_("Midterm review at"), null=True, blank=True)
    midterm_notes = models.TextField(_("Midterm review notes"), blank=True)
    extensions = models.PositiveSmallIntegerField(_("Extensions granted"), default=0)
    self_evaluation = models.TextField(_("Graduation self-evaluation"), blank=True, help_text=_("The organization's self-evaluation report and supporting evidence."))
    self_evaluation_at = models.DateTimeField(_("Self-evaluation submitted at"), null=True, blank=True)
    graduation_interview = models.TextField(_("Graduation interview record"), blank=True,
                                            help_text=_("Time, participants and key points of the graduation review interview."))
    graduation_document_review = models.TextField(_("Graduation document review"), blank=True,
                                                  help_text=_("Findings on the self-evaluation's supporting evidence."))
    score_governance = models.DecimalField(_("Graduation score: governance"), max_digits=5, decimal_places=2, null=True, blank=True)
    score_services = models.DecimalField(_("Graduation score: services"), max_digits=5, decimal_places=2, null=True, blank=True)
    score_finance = models.DecimalField(_("Graduation score: finance"), max_digits=5, decimal_places=2, null=True, blank=True)
    closed_at = models.DateTimeField(_("Closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("incubation application")
        verbose_name_plural = _("incubation applications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["department", "status", "approved_at"], name="incubation_base_status_idx")]

    def get_absolute_url(self):
        """The application's file in the incubation workbench (scores, milestones, nominations)."""
        return reverse("incubation:detail", args=[self.reference])

    @property
    def base(self):
        return self.department

    def visible_to(self, user) -> bool:
        """The applicant's members, and the experts assigned to score it."""
        if rights.acts_for(user, self.organization_id) or self.expert_scores.filter(expert=user).exists():
            return True
        return TaskRoute.objects.filter(reference=self.reference, node="score", owner=user).exists()

    def conflicts_with(self, user) -> bool:
        """D3: members of the applicant, and experts who declared a conflict, work none of
        its tasks (the engine refuses claim, reassignment, delegation and completion)."""
        return rights.acts_for(user, self.organization_id) or self.recusals.filter(expert=user).exists()

    def parties_among(self, user_ids) -> set[int]:
        """``conflicts_with`` for many people in one query: the applicant's members and the
        experts who recused themselves."""
        members = OrganizationMember.objects.filter(
            organization_id=self.organization_id, user_id__in=user_ids).values_list("user_id", flat=True)
        recused = self.recusals.filter(expert_id__in=user_ids).values_list("expert_id", flat=True)
        return set(members.union(recused))

    def summary_html(self):
        """What the engine's task and case pages show about the case, to a reader not known."""
        return self.summary_for(None)

    def summary_for(self, user):
        """The case's essentials for ``user``; once the panel has scored (approval and after),
        the experts' scores and average too, so the approver decides with them (I2) — but not to
        a member of the panel, who sees only their own sheet (as on the case file)."""
        sheets = []
        if self.expert_average is not None and user is not None and user.is_authenticated:
            sheets = list(self.expert_scores.select_related("expert").order_by("pk"))
            if any(sheet.expert_id == user.pk for sheet in sheets):
                sheets = []
        return render_to_string("incubation/_summary.html", {"case": self, "sheets": sheets})

    @property
    def graduation_average(self):
        scores = [self.score_governance, self.score_services, self.score_finance]
        if any(s is None for s in scores):
            return None
        return (sum(scores) / 3).quantize(Decimal("0.01"))

    @property
    def awaits_supplements(self) -> bool:
        """Returned at intake: the organization supplements its materials and submits again."""
        return self.status == Status.RETURNED

    @property
    def takes_self_evaluation(self) -> bool:
        """I5: the organization hands in its self-evaluation during the graduation review."""
        return self.status == Status.GRADUATION_REVIEW

    @property
    def may_be_nominated(self) -> bool:
        """I6: only a graduated organization (or its project) is nominated."""
        return self.status == Status.GRADUATED

    # --- transitions (the FSM is the law; services check who acts) ---
    @transition(field=status, source=[Status.DRAFT, Status.RETURNED], target=Status.SUBMITTED)
    def submit(self):
        """I1: registered or unregistered organizations submit their plan and documents."""

    @transition(field=status, source=Status.SUBMITTED, target=Status.INTAKE_CHECK)
    def begin_intake(self):
        pass

    @transition(field=status, source=Status.INTAKE_CHECK, target=Status.EXPERT_REVIEW)
    def accept_intake(self):
        self.return_reason = ""

    @transition(field=status, source=Status.INTAKE_CHECK, target=Status.RETURNED)
    def return_for_supplements(self, reason):
        """I1: the base returns an incomplete application for supplements, with its reason."""
        self.return_reason = reason

    @transition(field=status, source=Status.EXPERT_REVIEW, target=Status.APPROVAL)
    def pass_expert_review(self, average):
        self.expert_average = average

    @transition(field=status, source=BEFORE_AGREEMENT, target=Status.REJECTED)
    def reject(self, reason, average=None):
        self.decision_reason = reason
        if average is not None:
            self.expert_average = average

    @transition(field=status, source=BEFORE_AGREEMENT, target=Status.WITHDRAWN)
    def withdraw(self):
        pass

    @transition(field=status, source=Status.APPROVAL, target=Status.AGREEMENT)
    def approve(self, now):
        """I3: approved with a free place at the base."""
        self.approved_at = self.admitted_at = now

    @transition(field=status, source=Status.APPROVAL, target=Status.WAITLISTED)
    def approve_waitlisted(self, now):
        """I3: approved while the base is full; waits for a place in order of approval."""
        self.approved_at = now

    @transition(field=status, source=Status.WAITLISTED, target=Status.AGREEMENT)
    def admit(self, now):
        self.admitted_at = now

    @transition(field=status, source=Status.AGREEMENT, target=Status.AGREEMENT,
                conditions=[lambda self: self.agreement_offered_at is None])
    def offer_agreement(self, terms, now):
        self.agreement_terms, self.agreement_offered_at = terms, now

    @transition(field=status, source=Status.AGREEMENT, target=Status.INCUBATING,
                conditions=[lambda self: self.agreement_offered_at is not None])
    def accept_agreement(self, now, start, end, midterm):
        self.agreement_accepted_at = now
        self.incubation_start, self.incubation_end, self.midterm_planned = start, end, midterm

    @transition(field=status, source=Status.INCUBATING, target=Status.MIDTERM_REVIEW,
                conditions=[lambda self: self.midterm_planned and self.midterm_done_at is None])
    def begin_midterm(self):
        pass

    @transition(field=status, source=Status.MIDTERM_REVIEW, target=Status.INCUBATING)
    def finish_midterm(self, notes, now):
        self.midterm_notes, self.midterm_done_at = notes, now

    @transition(field=status, source=[Status.INCUBATING, Status.EXTENDED], target=Status.GRADUATION_REVIEW,
                conditions=[lambda self: not self.midterm_planned or self.midterm_done_at is not None])
    def begin_graduation_review(self):
        pass

    @transition(field=status, source=Status.GRADUATION_REVIEW, target=Status.GRADUATED,
                conditions=[lambda self: bool(self.self_evaluation_at)])
    def graduate(self, now):
        self.closed_at = now

    @transition(field=status, source=Status.GRADUATION_REVIEW, target=Status.EXTENDED)
    def extend(self, new_end):
        """I5: extended (a limited number of times, checked by the service against the base)."""
        self.extensions += 1
        self.incubation_end = new_end
        self.self_evaluation, self.self_evaluation_at = "", None  # a new review needs a new one

    @transition(field=status, source=Status.GRADUATION_REVIEW, target=Status.EXITED)
    def exit(self, reason, now):
        """I5: exited after review, or because the review was missed."""
        self.decision_reason, self.closed_at = reason, now


    @transition(field=status, source=ADMITTED, target=Status.EXITED)
    def exit_with_organization(self, reason, now):
        """The organization merged or dissolved while holding a place: the place is freed (I3)."""
        self.decision_reason, self.closed_at = reason, now
