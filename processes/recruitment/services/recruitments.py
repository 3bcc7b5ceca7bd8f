"""Publishing, closing and cancelling a recruitment (seed 二(一)). Only a manager of the
organization that runs the activity (R1: 谁组织谁记录) publishes and manages it."""
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.cases.numbering import case_creation
from engine.cases.routing import fix_due_time
from engine.cases.services import cancel_open_tasks, case_of_task, case_transition
from engine.notifications.services import Text, notify
from processes.certification.models import Activity
from processes.certification.services.routing import hand_to_organization, is_manager, organization_step

from .. import conf
from ..flows import RecruitmentFlow
from ..models import Recruitment, SignUp, Slot
from .emergency import push_emergency


def _slots(activity, slots) -> list[tuple]:
    """The slots as (start, end, places): within the activity, at least one place each."""
    if not slots:
        raise RuleViolation(_("Give at least one time slot."), fields={"slots": [_("Give at least one time slot.")]})
    cleaned = []
    for slot in slots:
        start, end, places = slot["start_at"], slot["end_at"], int(slot["places"])
        if end <= start:
            raise RuleViolation(_("A time slot must end after it starts."), fields={"slots": [_("A time slot must end after it starts.")]})
        if start < activity.start_at or end > activity.end_at:
            raise RuleViolation(_("Time slots must lie within the activity's start and end."),
                                fields={"slots": [_("Time slots must lie within the activity's start and end.")]})
        if places < 1:
            raise RuleViolation(_("A time slot needs at least one place."), fields={"slots": [_("A time slot needs at least one place.")]})
        cleaned.append((start, end, places))
    return cleaned


@case_creation()
def recruitment_publish(*, actor, activity, title, place, slots, kind=Recruitment.Kind.REGULAR,
                        mode=Recruitment.Mode.ONLINE, description="", district=None, skills=(), min_age=None,
                        max_age=None, risk=Recruitment.Risk.LOW, activity_type=None, answer_by=None) -> Recruitment:
    """Publish a recruitment for one of the actor's organization's service activities that has
    not ended; an emergency one gets an answer window (``answer_by``, at most
    ``RECRUITMENT_EMERGENCY_WINDOW_MAX_MINUTES`` ahead, default the setting's window) and is
    pushed to matching volunteers at once (``emergency.push_emergency``)."""
    activity = Activity.objects.select_for_update().select_related("organization").filter(
        pk=getattr(activity, "pk", activity)).first()
    if activity is None:
        raise NotFound(_("No such activity."))
    if not is_manager(actor, activity.organization):
        raise NotAllowed(_("Only a manager of the organization that runs the activity can recruit for it."))
    if not activity.organization.is_active:
        raise StateConflict(_("The organization was merged or dissolved; it cannot recruit."))
    if activity.category != Activity.Category.SERVICE:
        raise RuleViolation(_("Recruit for a service activity; training sessions are recorded as training."))
    now = timezone.now()
    if activity.end_at <= now:
        raise RuleViolation(_("The activity has ended."))
    if Recruitment.objects.filter(activity=activity).exists():
        raise StateConflict(_("This activity already has a recruitment."))
    if min_age is not None and max_age is not None and max_age < min_age:
        raise RuleViolation(_("The maximum age is below the minimum age."), fields={"max_age": [_("The maximum age is below the minimum age.")]})
    cleaned = _slots(activity, slots)
    if kind == Recruitment.Kind.EMERGENCY:
        answer_by = answer_by or min(now + conf.emergency_window(), activity.end_at)
        if answer_by <= now or answer_by > now + conf.emergency_window_max():
            raise RuleViolation(_("An emergency recruitment's answer window must end in the future and within %(h)s hours.")
                                % {"h": int(conf.emergency_window_max().total_seconds() // 3600)},
                                fields={"answer_by": [_("Outside the allowed answer window.")]})
    else:
        answer_by = None
    recruitment = Recruitment(
        department=activity.organization.supervising_department, activity=activity, activity_type=activity_type, title=(title or "").strip(), description=description or "",
        kind=kind, mode=mode, district=district, place=(place or "").strip(), min_age=min_age, max_age=max_age,
        risk=risk, answer_by=answer_by, created_by=actor, created_at=now)
    if not recruitment.title or not recruitment.place:
        raise RuleViolation(_("Give a title and a place."))
    recruitment.save()
    recruitment.skills.set(skills)
    Slot.objects.bulk_create([Slot(recruitment=recruitment, start_at=s, end_at=e, places=p) for s, e, p in cleaned])
    audit_record(actor=actor, action="recruitment.publish", obj=recruitment,
                 after={"activity": activity.pk, "kind": kind, "mode": mode, "places": sum(p for _s, _e, p in cleaned),
                        "answer_by": answer_by})
    RecruitmentFlow.start.run(case=recruitment)
    due_at = max(answer_by or min(start for start, _e, _p in cleaned), now)  # a slot under way: due now
    fix_due_time(recruitment, due_at)  # selection is due when the first slot starts
    hand_to_organization(recruitment, activity.organization)
    if kind == Recruitment.Kind.EMERGENCY:
        push_emergency(recruitment)
    return recruitment


def _managed(actor, recruitment_id) -> Recruitment:
    """The recruitment when ``actor`` manages its organization; to anyone else it does not exist."""
    recruitment = Recruitment.objects.select_related("activity__organization").filter(pk=recruitment_id).first() \
        if str(recruitment_id).isdigit() else None
    if recruitment is None or not is_manager(actor, recruitment.activity.organization):
        raise NotFound(_("No such recruitment."))
    return recruitment


def _check_manager(case, actor):
    if not is_manager(actor, case.activity.organization):
        raise NotFound(_("No such recruitment."))


def _close(actor, recruitment) -> Recruitment:
    """The case's task finished with "close" by a manager of the organization (R1), who takes it
    over from whoever holds it; locks: the task's route, then the recruitment."""
    with organization_step(recruitment, actor=actor, organization=recruitment.activity.organization,
                           decision="close", action="recruitment.close", check=_check_manager) as step:
        if step.case.status != Recruitment.Status.OPEN:
            raise StateConflict(_("Only an open recruitment can be closed."))
        step.case.close()
    return step.case


def recruitment_close(*, actor, recruitment_id) -> Recruitment:
    """No more sign-ups; those signed up may still be selected. Finishes the case's task."""
    return _close(actor, _managed(actor, recruitment_id))


def recruitment_close_task(*, actor, task_id, reason="", data=None) -> Recruitment:
    """Closing as the queue task (workbench, tasks API)."""
    return _close(actor, case_of_task(task_id, Recruitment.objects.select_related("activity__organization")))


def recruitment_cancel(*, actor, recruitment_id, reason) -> Recruitment:
    """Cancel with a reason; everyone signed up, wait-listed or selected is told; the case's
    open task is closed with it."""
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise RuleViolation(_("Give a reason of at most 500 characters."), fields={"reason": [_("Give a reason of at most 500 characters.")]})
    recruitment = _managed(actor, recruitment_id)
    with case_transition(model=Recruitment, pk=recruitment.pk, actor=actor, action="recruitment.cancel", reason=reason,
                         check=_check_manager) as step:
        recruitment = step.case
        if recruitment.status == Recruitment.Status.CANCELLED:
            raise StateConflict(_("The recruitment is already cancelled."))
        recruitment.cancel()
        cancel_open_tasks(recruitment, actor)
        users = [s.volunteer.user for s in SignUp.objects.filter(slot__recruitment=recruitment, status__in=SignUp.ACTIVE)
                 .select_related("volunteer__user")]
        notify(users, title=Text(gettext_lazy("Recruitment cancelled: %(title)s"), title=recruitment.title), body=reason,
               link="/portal/recruitment/", kind="recruitment.cancel")
    return recruitment


def recruitment_end(*, recruitment_id, reason) -> Recruitment | None:
    """The organization merged or dissolved: an open recruitment closes and its task with it
    (nobody is left to select or to run the activity). None when it is no longer open."""
    def still_open(case, _actor):
        if case.status != Recruitment.Status.OPEN:
            raise StateConflict(_("Only an open recruitment can be closed."))

    try:
        with case_transition(model=Recruitment, pk=recruitment_id, actor=None, action="recruitment.close",
                             reason=reason, check=still_open) as step:
            step.case.close()
            cancel_open_tasks(step.case)
    except StateConflict:
        return None  # closed or cancelled meanwhile
    return step.case
