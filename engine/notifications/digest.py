"""The daily digest for staff (D1, D2): for each member of a department, how many tasks wait in
their inbox and their departments' queues, how many are due soon and how many are overdue.
Sent once a day (a ``SentReminder`` per user and day), only to those with open work."""
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine.cases import selectors
from engine.directory.models import Membership

from . import services  # as a module: services imports the tasks, which import this one
from .reminders import send_once

KIND = "digest.daily"


def counts(user, now) -> dict:
    """{"inbox"|"queue": {"open", "due_soon", "overdue"}} for ``user``; one query each."""
    soon = now + timedelta(hours=settings.NOTIFICATION_DIGEST_DUE_SOON_HOURS)
    figures = dict(open=Count("pk"), due_soon=Count("pk", filter=Q(due_at__gte=now, due_at__lte=soon)),
                   overdue=Count("pk", filter=Q(due_at__lt=now)))
    return {name: selector(user).order_by().aggregate(**figures)
            for name, selector in (("inbox", selectors.task_inbox), ("queue", selectors.task_queue))}


def _text(figures):
    line = _("%(label)s: %(open)s open, %(due_soon)s due soon, %(overdue)s overdue.")
    return [services.Text(line, label=label, **figures[name])
            for name, label in (("inbox", _("My tasks")), ("queue", _("My departments' queues")))]


class _Lines:
    def __init__(self, lines):
        self.lines = lines

    def __str__(self):
        return "\n".join(str(line) for line in self.lines)


def sweep(now=None) -> int:
    """Send today's digest to each member of staff with open tasks; returns how many were sent."""
    now = now or timezone.now()
    day = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))
    staff = get_user_model().objects.filter(
        pk__in=Membership.objects.values("user_id"), is_active=True)
    sent = 0
    for user in staff.order_by("pk"):
        figures = counts(user, now)
        if not (figures["inbox"]["open"] or figures["queue"]["open"]):
            continue
        sent += send_once(
            recipient=user, kind=KIND, object_type=user._meta.label_lower, object_id=user.pk, deadline=day,
            title=services.Text(_("Your tasks on %(date)s"), date=timezone.localdate(now).isoformat()),
            body=_Lines(_text(figures)), link=reverse("tasks:inbox"),
        )
    return sent
