"""Reads of the notification centre: a user's notifications filtered, and where each
notification leads its reader."""
from django.db.models import Q
from django.urls import reverse

from engine.cases.registry import case_models

from .kinds import CATEGORIES
from .models import Notification

STAFF, PORTAL = "staff", "portal"


def category_filter(category: str) -> Q:
    if category == "other":
        known = Q()
        for name in CATEGORIES:
            if name != "other":
                known |= Q(kind=name) | Q(kind__startswith=f"{name}.")
        return ~known
    return Q(kind=category) | Q(kind__startswith=f"{category}.")


def notifications_of(user, *, unread: bool = False, category: str = ""):
    qs = Notification.objects.filter(user=user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    if category in CATEGORIES:
        qs = qs.filter(category_filter(category))
    return qs.order_by("-created_at", "-pk")


def target(notification, audience: str) -> str:
    """Where the notification leads: the link its sender gave (made for this recipient), else
    the case's workbench page for staff, else the portal."""
    if notification.link:
        return notification.link
    prefix = notification.reference.split("-", 1)[0]
    if audience == STAFF and prefix and prefix in {m.REFERENCE_PREFIX for m in case_models()}:
        return reverse("tasks:case", args=[notification.reference])
    return reverse("portal:index") if audience == PORTAL else ""
