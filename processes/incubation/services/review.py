"""Intake check by the base (I1), independent expert scoring (I2, D3), 民政局 approval within
the base's capacity (I3)."""
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.cases.models import TaskRoute
from engine.cases.panels import expert_task, panel_average, recusal_record
from engine.cases.services import case_step
from engine.directory import rights
from engine.directory.models import DEPARTMENT_ROLES, Membership, OrganizationMember, Role
from engine.documents.services import require_documents
from engine.notifications.services import Text, notify

from ..models import ExpertRecusal, ExpertScore, IncubationApplication, IncubationBaseSettings, Status
from .capacity import admitted_count, has_waiting, lock_base
from .common import parse_score, tell_applicant


def _reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Please give a reason."), fields={"reason": [_("Required.")]})
    return reason


def _conflicted(organization_id) -> set:
    """D3: users who belong to the applicant, or declared a conflict with it on one of its
    applications, cannot score it."""
    members = OrganizationMember.objects.filter(organization_id=organization_id).values_list("user_id", flat=True)
    declared = ExpertRecusal.objects.filter(application__organization_id=organization_id).values_list(
        "expert_id", flat=True)
    return set(members) | set(declared)


def choose_experts(case, requested=None) -> list:
    """The experts who will score ``case``: those requested, or the N least busy (I2, D3)."""
    count = IncubationBaseSettings.for_base(case.department).expert_count
    conflicted = _conflicted(case.organization_id)
    experts = get_user_model().objects.filter(
        is_active=True, memberships__role=Role.EXPERT, memberships__department__isnull=True)
    if requested:
        try:
            if isinstance(requested, (str, bytes)) or not hasattr(requested, "__iter__"):
                raise TypeError
            ids = list(dict.fromkeys(int(x) for x in requested))
        except (TypeError, ValueError):
            raise RuleViolation(_("Choose the experts as a list of expert ids."),
                                fields={"experts": [_("Not a valid expert.")]}) from None
        chosen = list(experts.filter(pk__in=ids))
        if len(chosen) != len(ids):
            raise RuleViolation(_("Not everyone chosen is an expert."), fields={"experts": [_("Not a valid expert.")]})
        clash = [e for e in chosen if e.pk in conflicted]
        if clash:
            raise RuleViolation(
                _("Separation of duties: expert %(names)s is a member of the applying organization or has declared a conflict of interest, and may not review.")
                % {"names": _(", ").join(str(e) for e in clash)}, fields={"experts": [_("Conflict of interest.")]})
        if len(chosen) < count:
            raise RuleViolation(_("At least %(n)d experts are needed.") % {"n": count},
                                fields={"experts": [_("Too few.")]})
        return chosen
    pool = list(experts.exclude(pk__in=conflicted).distinct().order_by("pk"))
    pending = ExpertScore.objects.filter(scored_at__isnull=True, application__status=Status.EXPERT_REVIEW)
    busy = dict(pending.values("expert_id").annotate(n=Count("pk")).values_list("expert_id", "n"))
    pool.sort(key=lambda e: (busy.get(e.pk, 0), e.pk))
    if len(pool) < count:
        raise RuleViolation(_("Fewer than %(n)d experts are free of conflicts of interest.") % {"n": count})
    return pool[:count]


def intake_accept(*, actor, task_id, reason="", data=None):
    """I1: the application is complete (the kinds of documents the intake requires are there,
    ``DOCUMENT_REQUIRED_KINDS["incubation.intake"]``); N experts are assigned and get one task
    each (I2)."""
    data = data or {}
    with case_step(task_id=task_id, actor=actor, decision="accept", reason=reason) as step:
        case = step.case
        require_documents(case, "incubation.intake")
        experts = choose_experts(case, data.get("experts"))
        case.accept_intake()
        ExpertScore.objects.bulk_create([ExpertScore(application=case, expert=e) for e in experts])
        step.audit_after["experts"] = [e.pk for e in experts]
    return step.case


def intake_return(*, actor, task_id, reason="", data=None):
    """I1: returned for supplements with the reason; the organization sees it and resubmits."""
    reason = _reason(reason)
    with case_step(task_id=task_id, actor=actor, decision="return", reason=reason) as step:
        step.case.return_for_supplements(reason)
        case = step.case
        step.after_commit(lambda: tell_applicant(
            case, Text(gettext_lazy("Incubation application %(reference)s was returned; please supply the missing documents"), reference=case.reference), reason))
    return step.case


def _reject(*, actor, task_id, reason, title):
    """Intake (I1) or 民政局 (I3) turns the application down with a reason; the applicant is told."""
    reason = _reason(reason)
    with case_step(task_id=task_id, actor=actor, decision="reject", reason=reason) as step:
        step.case.reject(reason)
        step.case.closed_at = timezone.now()
        case = step.case
        step.after_commit(lambda: tell_applicant(case, Text(title, reference=case.reference), reason))
    return step.case


def intake_reject(*, actor, task_id, reason="", data=None):
    return _reject(actor=actor, task_id=task_id, reason=reason, title=gettext_lazy("Incubation application %(reference)s was not accepted"))


def _sheet_of_task(step, case, actor) -> ExpertScore:
    """The score sheet this task was made for (the split gave each task its expert). When the
    base's head reassigned the task to another expert (an overdue expert, D2), the sheet goes
    with the task; an expert who already holds a sheet of this application cannot take a
    second one, so N independent experts still score (I2)."""
    data = step.route.task.data or {}
    sheets = ExpertScore.objects.select_for_update().filter(application=case)
    sheet = sheets.filter(expert_id=data.get("expert")).first() if data.get("expert") else None
    if sheet is None:
        sheet = sheets.filter(expert=actor).first()
    if sheet is None:
        raise NotAllowed(_("This application was not assigned to you for review."))
    if sheet.scored_at is not None:
        raise StateConflict(_("This score sheet has already been submitted."))
    if sheet.expert_id != actor.pk:
        if sheets.filter(expert=actor).exists():
            raise NotAllowed(_("You are already an expert on this application and cannot take over another expert's score sheet."),
                             code="separation_of_duties")
        step.audit_after["replaces_expert"] = sheet.expert_id
        sheet.expert = actor
    return sheet


def expert_score_task(*, actor, task_id, reason="", data=None):
    """I2: one expert's independent score; the last one decides by the average against the
    base's pass mark. D3: an expert who belongs to the applicant may not score."""
    data = data or {}
    score = parse_score(data.get("score"), "score")
    comment = (data.get("comment") or reason or "").strip()
    with case_step(task_id=task_id, actor=actor, decision="score", reason=reason) as step:
        case = step.case
        if actor.pk in _conflicted(case.organization_id):
            raise NotAllowed(_("Separation of duties: you are a member of the applying organization or have declared a conflict of interest, and may not review this application."),
                             code="separation_of_duties")
        sheet = _sheet_of_task(step, case, actor)
        sheet.score, sheet.comment, sheet.scored_at = score, comment, timezone.now()
        sheet.save(update_fields=["expert", "score", "comment", "scored_at"])
        step.audit_after["expert"] = actor.pk
        sheets = list(ExpertScore.objects.filter(application=case).values_list("score", flat=True))
        if all(s is not None for s in sheets):
            average = panel_average(sheets)
            pass_mark = IncubationBaseSettings.for_base(case.department).pass_mark
            if average >= pass_mark:
                case.pass_expert_review(average)
            else:
                case.reject(_("The experts' average score %(avg)s is below the pass mark %(mark)s.")
                            % {"avg": average, "mark": pass_mark}, average)
                case.closed_at = timezone.now()
            step.audit_after.update({"average": average, "pass_mark": pass_mark})
    return step.case


def expert_score(*, actor, application, score, comment=""):
    """API entry: the expert's own open scoring task on ``application``."""
    routes = TaskRoute.objects.filter(
        reference=application.reference, node="score", owner=actor,
        state__in=[TaskRoute.State.OPEN, TaskRoute.State.CLAIMED])
    # the task made for this expert first; a task reassigned to them only when it is the one
    route = routes.filter(task__data__expert=actor.pk).first() or routes.order_by("pk").first()
    if route is None:
        if rights.is_expert(actor) and ExpertScore.objects.filter(application=application, expert=actor).exists():
            raise StateConflict(_("You have already submitted your score, or the application is no longer in expert review."))
        raise NotFound(_("No review task is assigned to you."))
    return expert_score_task(actor=actor, task_id=route.pk, data={"score": score, "comment": comment})


def approval_approve(*, actor, task_id, reason="", data=None):
    """I3: 民政局 approves; admitted if the base has a free place and nobody is waiting
    before it, else it waits in order of approval. The base row is locked while counting."""
    with case_step(task_id=task_id, actor=actor, decision="approve", reason=reason) as step:
        case, now = step.case, timezone.now()
        base = lock_base(case.department_id)
        count = admitted_count(base)
        if count < (base.capacity or 0) and not has_waiting(base):
            case.approve(now)
            message = Text(gettext_lazy("Incubation application %(reference)s was approved for admission; please wait for the incubation agreement"), reference=case.reference)
        else:
            case.approve_waitlisted(now)
            message = Text(gettext_lazy("Incubation application %(reference)s was approved; the base has no free place, so it waits in order of approval"), reference=case.reference)
        step.audit_after.update({"admitted_before": count, "capacity": base.capacity})
        step.after_commit(lambda: tell_applicant(case, message))
    return step.case


def approval_reject(*, actor, task_id, reason="", data=None):
    return _reject(actor=actor, task_id=task_id, reason=reason, title=gettext_lazy("Incubation application %(reference)s was not approved"))


def expert_overdue(*, route, now):
    """SLA hook of the scoring step: an expert's task cannot move to another department's
    queue (no queue serves experts), so it stays with the expert and the base's head and
    staff are told to follow up (D2)."""
    people = [m.user for m in Membership.objects.filter(department_id=route.department_id,
                                                        role__in=DEPARTMENT_ROLES).select_related("user")]
    notify(people + [route.owner], kind="task.escalated", reference=route.reference,
           title=Text(gettext_lazy("Expert score overdue: %(ref)s"), ref=route.reference),
           body=Text(gettext_lazy("Expert %(expert)s has not submitted a score yet; please follow up."), expert=route.owner),
           link=reverse("incubation:detail", args=[route.reference]))
    audit_record(actor=None, action="incubation.score.overdue", object_type="cases.taskroute", object_id=route.pk,
                 reference=route.reference, after={"expert": route.owner_id}, reason=_("Expert score overdue"))


def expert_declare_conflict(*, actor, application, statement: str) -> ExpertRecusal:
    """D3: an expert holding a scoring task on ``application`` declares a conflict of interest.
    The expert can no longer score it (nor this organization's later applications); the task
    stays with them until the base's head reassigns it to another expert, who is told to."""
    statement = (statement or "").strip()
    if not statement:
        raise RuleViolation(_("Please describe the conflict of interest."), fields={"statement": [_("Required.")]})
    with transaction.atomic():
        route = expert_task(IncubationApplication, application.pk, actor)
        if route is None:
            raise NotFound(_("No review task is assigned to you."))
        case = IncubationApplication.objects.select_for_update().get(pk=application.pk)
        if case.status != Status.EXPERT_REVIEW:
            raise StateConflict(_("The application is no longer in expert review."))
        if ExpertRecusal.objects.filter(application=case, expert=actor).exists():
            raise StateConflict(_("You have already declared a conflict of interest."))
        recusal = ExpertRecusal.objects.create(application=case, expert=actor, statement=statement)
        recusal_record(
            case=case, route=route, expert=actor, statement=statement, action="incubation.score.conflict",
            after={"recusal": recusal.pk},
            body=Text(gettext_lazy("Expert %(expert)s declared a conflict of interest with the applying organization; please reassign their scoring task to another expert."), expert=actor))
    return recusal
