"""Reads of the time bank, each a fixed number of queries."""
from django.db.models import Q, Sum

from engine.directory import rights
from engine.directory.models import Organization

from .models import ZERO, Account, Entry, ExchangeService, Redemption

SERVICE_SORTS = {"new": ("-created_at", "-pk"), "hours": ("hours", "pk"), "-hours": ("-hours", "pk"),
                 "title": ("title", "pk")}
REDEMPTION_SORTS = {"new": ("-created_at", "-pk"), "due": ("due_at", "pk"), "hours": ("-hours", "-pk")}


def account_of(volunteer) -> Account | None:
    if volunteer is None:
        return None
    return Account.objects.filter(volunteer=volunteer).first()


def held_hours(volunteer) -> object:
    """Hours held by the volunteer's open redemptions, always with two decimals (SQLite's sum
    of decimals drops them: 2 instead of 2.00)."""
    held = Redemption.objects.filter(volunteer=volunteer, status__in=Redemption.OPEN_STATES).aggregate(s=Sum("hours"))["s"]
    return (held or ZERO).quantize(ZERO)


def statement(account):
    """The account's entries, newest first, each with its transaction (R5: the volunteer
    always sees their own full statement)."""
    if account is None:
        return Entry.objects.none()
    return (Entry.objects.filter(account=account)
            .select_related("transaction__record__activity__organization", "transaction__redemption")
            .order_by("-transaction__created_at", "-pk"))


def services(params=None, *, active_only=True):
    """The catalogue: filters ``q`` (service, description, provider), ``district``,
    ``provider``, ``max_hours``; sort ``sort`` (``SERVICE_SORTS``)."""
    params = params or {}
    qs = ExchangeService.objects.select_related("provider", "district")
    if active_only:
        qs = qs.filter(is_active=True, provider__status=Organization.Status.ACTIVE)
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(provider__name__icontains=q))
    district = str(params.get("district") or "")
    if district.isdigit():
        qs = qs.filter(district_id=int(district))
    provider = str(params.get("provider") or "")
    if provider.isdigit():
        qs = qs.filter(provider_id=int(provider))
    max_hours = str(params.get("max_hours") or "")
    if max_hours.replace(".", "", 1).isdigit() and len(max_hours) < 9:
        qs = qs.filter(hours__lte=max_hours)
    return qs.order_by(*SERVICE_SORTS.get(params.get("sort"), SERVICE_SORTS["new"]))


def redemptions_visible_to(user):
    """The volunteer's own, those of the organizations the user acts for, and for staff those
    of the providers their departments supervise (everything for a superuser)."""
    if user is None or not user.is_authenticated:
        return Redemption.objects.none()
    qs = Redemption.objects.select_related("volunteer", "service", "provider")
    if user.is_superuser:
        return qs
    organizations = rights.organization_ids(user)
    cond = Q(volunteer__user=user) | Q(provider_id__in=organizations) | Q(handler_id__in=organizations)
    departments = rights.department_ids(user)
    if departments:
        cond |= Q(provider__supervising_department_id__in=departments)
    return qs.filter(cond)


def filter_redemptions(qs, params):
    status = params.get("status") or ""
    if status in Redemption.Status.values:
        qs = qs.filter(status=status)
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(reference__icontains=q) | Q(service__title__icontains=q) | Q(volunteer__real_name__icontains=q)
                       | Q(provider__name__icontains=q))
    return qs.order_by(*REDEMPTION_SORTS.get(params.get("sort"), REDEMPTION_SORTS["new"]))
