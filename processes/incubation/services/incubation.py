"""From admission to graduation: the agreement, the incubation period with its optional
mid-term review (I4), and the mandatory graduation review with its outcomes (I5)."""
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.audit.services import audit_record
from engine.cases.errors import RuleViolation, StateConflict
from engine.cases.services import cancel_open_tasks, case_step, case_transition, run_handle
from engine.notifications.services import Text

from .. import conf
from ..flows import IncubationFlow
from ..models import IncubationApplication, IncubationBaseSettings, Milestone, Status
from .capacity import admit_waiting
from .common import bounded_text, check_applicant, parse_score, tell_applicant

REVIEW_TEXT_MAX_LENGTH = 4000  # a self-evaluation, an interview record, a document review


def agreement_offer(*, actor, task_id, reason="", data=None):
    """Base staff prepare the agreement and send it to the organization to accept."""
    terms = bounded_text((data or {}).get("terms") or reason, "terms")
    if not terms:
        raise RuleViolation(_("Please fill in the key terms of the incubation agreement."), fields={"terms": [_("Required.")]})
    with case_step(task_id=task_id, actor=actor, decision="offer", reason=reason) as step:
        step.case.offer_agreement(terms, timezone.now())
        case = step.case
        step.audit_after["terms"] = terms
        step.after_commit(lambda: tell_applicant(case, Text(gettext_lazy("Incubation application %(reference)s: the incubation agreement awaits your acceptance"), reference=case.reference), terms))
    return step.case


def agreement_accept(*, actor, application) -> IncubationApplication:
    """The organization accepts the agreement; incubation starts for the base's period (I4)."""
    with case_transition(model=IncubationApplication, pk=application.pk, actor=actor,
                         action="incubation.agreement.accept", check=check_applicant) as ctx:
        case, now = ctx.case, timezone.now()
        if case.status == Status.AGREEMENT and case.agreement_offered_at is None:
            raise StateConflict(_("The incubation base has not offered the agreement yet."))
        base_settings = IncubationBaseSettings.for_base(case.department)
        start = timezone.localdate(now)
        end = start + relativedelta(months=base_settings.period_months)
        case.accept_agreement(now, start, end, base_settings.midterm_enabled)
        case.save()
        run_handle(case, IncubationFlow.accept_agreement)
        ctx.audit_after.update({"incubation_start": start, "incubation_end": end,
                                "midterm_planned": case.midterm_planned})
    return ctx.case


def midterm_complete(*, actor, task_id, reason="", data=None):
    notes = bounded_text(reason, "reason")
    if not notes:
        raise RuleViolation(_("Please fill in the midterm review notes."), fields={"reason": [_("Required.")]})
    with case_step(task_id=task_id, actor=actor, decision="complete", reason=notes) as step:
        step.case.finish_midterm(notes, timezone.now())
    return step.case


def self_evaluation_submit(*, actor, application, text: str) -> IncubationApplication:
    """I5: the organization's self-evaluation with its evidence, for the graduation review."""
    text = (text or "").strip()
    if not text:
        raise RuleViolation(_("Please fill in the self-evaluation report and supporting evidence."), fields={"text": [_("Required.")]})
    if len(text) > REVIEW_TEXT_MAX_LENGTH:
        raise RuleViolation(_("The self-evaluation report is too long."), fields={"text": [_("At most %(n)s characters.") % {"n": REVIEW_TEXT_MAX_LENGTH}]})
    with case_transition(model=IncubationApplication, pk=application.pk, actor=actor,
                         action="incubation.graduation.self_evaluation", check=check_applicant) as ctx:
        if not ctx.case.takes_self_evaluation:
            raise StateConflict(_("A self-evaluation can only be submitted during the graduation review."))
        ctx.case.self_evaluation, ctx.case.self_evaluation_at = text, timezone.now()
        ctx.audit_after["self_evaluation"] = text
    return ctx.case


def _graduation_requirements(case):
    """I4: registered (with assistance if needed), the capacity-building training attended and
    at least one service project developed; I5: the self-evaluation submitted."""
    missing = []
    if not case.self_evaluation_at:
        missing.append(_("the organization has not submitted its graduation self-evaluation"))
    if not case.organization.registered:
        missing.append(_("the organization is not registered yet"))
    kinds = set(Milestone.objects.filter(application=case).values_list("kind", flat=True))
    if Milestone.Kind.TRAINING not in kinds:
        missing.append(_("no capacity-building training completed yet"))
    if Milestone.Kind.PROJECT not in kinds:
        missing.append(_("no volunteer service project yet"))
    return missing


def _review_record(data, *, required):
    """I5: what the review found at the interview and in the documents; both are required to
    graduate (the review is held, not only scored). Bounded free text."""
    found, errors = {}, {}
    for key, label in (("interview", _("Interview record")), ("document_review", _("Document review findings"))):
        text = str(data.get(key) or "").replace("\x00", "").strip()
        if len(text) > REVIEW_TEXT_MAX_LENGTH:
            errors[key] = [_("At most %(n)s characters.") % {"n": REVIEW_TEXT_MAX_LENGTH}]
        elif required and not text:
            errors[key] = [_("Please fill in: %(f)s.") % {"f": label}]
        found[key] = text
    if errors:
        raise RuleViolation(_("Please record the graduation review's interview and document review."), fields=errors)
    return found


def graduation_graduate(*, actor, task_id, reason="", data=None):
    """I5: scored on governance, services and finance; graduates when the average reaches the
    base's graduation pass mark and the milestones of I4 are met. Frees the place (I3)."""
    data = data or {}
    review = _review_record(data, required=True)
    scores = {k: parse_score(data.get(k), k) for k in ("governance", "services", "finance")}
    with case_step(task_id=task_id, actor=actor, decision="graduate", reason=reason) as step:
        case, now = step.case, timezone.now()
        case.graduation_interview, case.graduation_document_review = review["interview"], review["document_review"]
        case.score_governance, case.score_services, case.score_finance = (
            scores["governance"], scores["services"], scores["finance"])
        mark = IncubationBaseSettings.for_base(case.department).graduation_pass_mark
        if case.graduation_average < mark:
            raise RuleViolation(_("The graduation review's average score %(avg)s is below %(mark)s; extend or exit instead.")
                                % {"avg": case.graduation_average, "mark": mark})
        missing = _graduation_requirements(case)
        if missing:
            raise RuleViolation(_("The conditions for graduation are not met yet: %(missing)s.") % {"missing": _("; ").join(missing)})
        case.graduate(now)
        case.save()
        admit_waiting(case.department_id, actor=actor, now=now)
        step.audit_after.update({**scores, **review, "average": case.graduation_average})
        step.after_commit(lambda: tell_applicant(case, Text(gettext_lazy("Congratulations! Incubation application %(reference)s has graduated"), reference=case.reference)))
    return step.case


def graduation_extend(*, actor, task_id, reason="", data=None):
    """I5: extended by the set length, at most the base's extension limit."""
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Please give the reason for the extension."), fields={"reason": [_("Required.")]})
    with case_step(task_id=task_id, actor=actor, decision="extend", reason=reason) as step:
        case = step.case
        limit = IncubationBaseSettings.for_base(case.department).extension_limit
        if case.extensions >= limit:
            raise RuleViolation(_("The limit of extensions (%(n)d) has been reached; graduate or exit instead.") % {"n": limit})
        base_date = max(case.incubation_end or timezone.localdate(), timezone.localdate())
        case.extend(base_date + relativedelta(months=conf.extension_months()))
        step.audit_after.update({"incubation_end": case.incubation_end, "extensions": case.extensions})
        step.after_commit(lambda: tell_applicant(case, Text(gettext_lazy("Incubation of application %(reference)s was extended"), reference=case.reference), reason))
    return step.case


def graduation_exit(*, actor, task_id, reason="", data=None):
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Please give the reason for the exit."), fields={"reason": [_("Required.")]})
    with case_step(task_id=task_id, actor=actor, decision="exit", reason=reason) as step:
        case, now = step.case, timezone.now()
        case.exit(reason, now)
        case.save()
        admit_waiting(case.department_id, actor=actor, now=now)
        step.after_commit(lambda: tell_applicant(case, Text(gettext_lazy("Incubation application %(reference)s has exited incubation"), reference=case.reference), reason))
    return step.case


def graduation_missed(*, route, now):
    """SLA hook of the graduation step (I5): a review not held in time counts as exit.

    Called by the engine's sweep once per route (it sets ``escalated_at`` first, under a row
    lock); the status check makes a repeated call harmless as well.
    """
    with transaction.atomic():
        case = IncubationApplication.objects.select_for_update().get(pk=route.case_id)
        if case.status != Status.GRADUATION_REVIEW:
            return None
        reason = _("The graduation review was not completed in time; counted as exit.")
        case.exit(reason, now)
        case.save()
        cancel_open_tasks(case, None)
        audit_record(actor=None, action="incubation.graduation.missed", obj=case, reason=reason,
                     before={"status": Status.GRADUATION_REVIEW, "task": route.pk},
                     after={"status": case.status})
        admit_waiting(case.department_id, now=now)
        transaction.on_commit(lambda: tell_applicant(case, Text(gettext_lazy("Incubation application %(reference)s is counted as exited"), reference=case.reference), reason))
    return case


def _system_step(case_id, action, change):
    """Run one timed change in its own transaction; a case moved meanwhile is skipped."""
    try:
        with case_transition(model=IncubationApplication, pk=case_id, actor=None, action=action) as ctx:
            change(ctx.case)
    except StateConflict:
        return False
    return True


def advance(now=None) -> dict:
    """Beat (idempotent): start mid-term and graduation reviews when due (I4, I5), and fill
    places that became free (e.g. a base's capacity raised) from the waiting lists (I3)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    done = {"midterm": 0, "graduation": 0, "admitted": 0}

    def begin_midterm(case):
        case.begin_midterm()
        case.save()
        run_handle(case, IncubationFlow.midterm_due)

    def begin_graduation(case):
        case.begin_graduation_review()
        case.save()
        run_handle(case, IncubationFlow.period_end)

    incubating = IncubationApplication.objects.filter(status=Status.INCUBATING, midterm_planned=True,
                                                      midterm_done_at__isnull=True)
    for case in incubating.only("pk", "incubation_start", "incubation_end"):
        midpoint = case.incubation_start + (case.incubation_end - case.incubation_start) / 2
        if midpoint <= today and _system_step(case.pk, "incubation.midterm.start", begin_midterm):
            done["midterm"] += 1
    due = IncubationApplication.objects.filter(
        status__in=[Status.INCUBATING, Status.EXTENDED], incubation_end__lte=today,
    ).exclude(midterm_planned=True, midterm_done_at__isnull=True)
    for pk in due.values_list("pk", flat=True):
        if _system_step(pk, "incubation.graduation.start", begin_graduation):
            done["graduation"] += 1
    waiting_bases = set(IncubationApplication.objects.filter(status=Status.WAITLISTED)
                        .values_list("department_id", flat=True))
    for base_id in waiting_bases:
        done["admitted"] += len(admit_waiting(base_id, now=now))
    return done
