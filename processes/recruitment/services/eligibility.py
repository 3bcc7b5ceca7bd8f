"""The one rule deciding who may sign up for, and be selected in, a recruitment's time slot
(seed 二(一) who may sign up, 二(二) 谁招募谁培训): the age limits on the slot's first day,
the training the activity type requires, and no overlap with another slot the volunteer holds a
place in. ``refusals`` lists every reason (empty: eligible); ``check_eligible`` raises the first."""
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from engine.cases.errors import RuleViolation
from processes.certification.models import Activity, ServiceRecord

from ..models import SignUp


def birth_date(id_number: str) -> date | None:
    """The birth date in an 18-digit resident ID number (GB 11643, digits 7–14)."""
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except (ValueError, IndexError, TypeError):
        return None


def age_on(id_number: str, day: date) -> int | None:
    born = birth_date(id_number)
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def is_trained(volunteer, activity_type) -> bool:
    """An approved, current record of a training session that qualifies for ``activity_type``
    (R2a, R13: only approved records count)."""
    return ServiceRecord.objects.counting().filter(
        volunteer=volunteer, activity__category=Activity.Category.TRAINING,
        activity__qualification__activity_type=activity_type).exists()


def refusals(volunteer, slot, *, ignore=None) -> list[str]:
    """Why ``volunteer`` may not take a place in ``slot`` (empty when they may). ``ignore``: a
    sign-up of theirs not to count as an overlap (the one being selected)."""
    recruitment = slot.recruitment
    reasons = []
    if recruitment.min_age is not None or recruitment.max_age is not None:
        age = age_on(volunteer.id_number, timezone.localtime(slot.start_at).date())
        if age is None:
            reasons.append(_("Your age cannot be read from the ID number, so this recruitment's age limit cannot be checked."))
        elif recruitment.min_age is not None and age < recruitment.min_age:
            reasons.append(_("This recruitment takes volunteers aged %(n)s or over.") % {"n": recruitment.min_age})
        elif recruitment.max_age is not None and age > recruitment.max_age:
            reasons.append(_("This recruitment takes volunteers aged up to %(n)s.") % {"n": recruitment.max_age})
    activity_type = recruitment.activity_type
    if activity_type is not None and activity_type.requires_training and not is_trained(volunteer, activity_type):
        reasons.append(_("This kind of service needs a completed training first: %(type)s.") % {"type": activity_type.name})
    overlapping = SignUp.objects.filter(
        volunteer=volunteer, status__in=SignUp.HOLDING, slot__start_at__lt=slot.end_at, slot__end_at__gt=slot.start_at,
    ).exclude(slot__recruitment__status="cancelled")
    if ignore is not None:
        overlapping = overlapping.exclude(pk=ignore.pk)
    if overlapping.exists():
        reasons.append(_("You already hold a place in another time slot at the same time."))
    return reasons


def check_eligible(volunteer, slot, *, ignore=None) -> None:
    reasons = refusals(volunteer, slot, ignore=ignore)
    if reasons:
        raise RuleViolation(reasons[0], code="not_eligible")
