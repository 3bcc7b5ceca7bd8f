"""Reads of the recruitment process, each a fixed number of queries."""
from datetime import datetime, time

from django.db.models import Count, Min, Prefetch, Q
from django.utils import timezone

from engine.directory import rights

from .models import EmergencyCall, Recruitment, SignUp, Slot

SORTS = {"start": ("first_start", "pk"), "-start": ("-first_start", "-pk"), "-created": ("-created_at", "-pk"),
         "title": ("title", "pk")}


def with_slots(qs):
    slots = Slot.objects.annotate(
        taken=Count("signups", filter=Q(signups__status__in=SignUp.HOLDING)),
        waiting=Count("signups", filter=Q(signups__status=SignUp.Status.WAITLISTED)),
    ).order_by("start_at", "pk")
    return (qs.select_related("activity__organization", "district", "activity_type")
            .prefetch_related(Prefetch("slots", queryset=slots), "skills")
            .annotate(first_start=Min("slots__start_at")))


def open_recruitments(*, q="", district="", skill="", day=None, kind="", sort="start"):
    """The public list (seed 二(一)): open recruitments whose activity has not ended, searched by
    words of the title, place or organization, filtered by district code, skill, a day one of
    its slots covers and kind; sorted by a whitelisted key."""
    qs = Recruitment.objects.filter(status=Recruitment.Status.OPEN, activity__end_at__gt=timezone.now())
    for word in (q or "").split()[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(place__icontains=word)
                       | Q(activity__organization__name__icontains=word))
    if district:
        qs = qs.filter(district__code=district)
    if skill:
        qs = qs.filter(skills__name=skill)
    if day is not None:
        tz = timezone.get_current_timezone()
        start, end = datetime.combine(day, time.min, tz), datetime.combine(day, time.max, tz)
        qs = qs.filter(slots__start_at__lte=end, slots__end_at__gte=start)
    if kind in Recruitment.Kind.values:
        qs = qs.filter(kind=kind)
    return with_slots(qs.distinct()).order_by(*SORTS.get(sort, SORTS["start"]))


def managed_recruitments(user):
    """Recruitments of the organizations ``user`` manages."""
    orgs = rights.organization_ids(user, managers_only=True)
    return with_slots(Recruitment.objects.filter(activity__organization_id__in=orgs)).order_by("-created_at", "-pk")


def visible_recruitments(user):
    """Open ones for everyone, and every one of the organizations the user belongs to."""
    orgs = rights.organization_ids(user) if user.is_authenticated else set()
    return (Recruitment.objects.filter(Q(status=Recruitment.Status.OPEN) | Q(activity__organization_id__in=orgs)))


def recruitment_signups(recruitment):
    return (SignUp.objects.filter(slot__recruitment=recruitment).select_related("volunteer", "slot")
            .order_by("slot__start_at", "slot_id", "created_at", "pk"))


def my_signups(volunteer):
    return (SignUp.objects.filter(volunteer=volunteer)
            .select_related("slot__recruitment__activity__organization").order_by("-created_at", "-pk"))


def my_calls(volunteer):
    return (EmergencyCall.objects.filter(volunteer=volunteer, recruitment__status=Recruitment.Status.OPEN)
            .select_related("recruitment").order_by("-sent_at", "-pk"))


def call_counts(recruitment) -> dict:
    """The live count of an emergency recruitment: called, answered, coming, cannot come."""
    return EmergencyCall.objects.filter(recruitment=recruitment).aggregate(
        called=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)),
        coming=Count("pk", filter=Q(answer=EmergencyCall.Answer.YES)),
        declined=Count("pk", filter=Q(answer=EmergencyCall.Answer.NO)))
