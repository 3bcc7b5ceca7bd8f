"""Deadlines of volunteers in certification, for the reminders of ``engine.notifications``:
the end of the window to appeal an organizer's refusal of a dispute (dispute lifecycle,
``CERTIFICATION_APPEAL_DAYS``)."""
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine.notifications.reminders import Deadline
from engine.notifications.services import Text
from engine.ui.pages import portal_url

from .models import Dispute


def deadlines(now, lead):
    disputes = Dispute.objects.filter(
        status=Dispute.Status.REFUSED, volunteer__user__isnull=False,
        appeal_until__gt=now, appeal_until__lte=now + lead("reminder.appeal"),
    ).select_related("volunteer__user")
    for dispute in disputes:
        yield Deadline(
            kind="reminder.appeal", obj=dispute, deadline=dispute.appeal_until, recipients=[dispute.volunteer.user],
            reference=dispute.reference, link=portal_url("certification") + "#cert-volunteer",
            title=Text(_("The appeal period of %(ref)s ends soon"), ref=dispute.reference),
            body=Text(_("You may appeal the organizer's decision until %(until)s."),
                      until=timezone.localtime(dispute.appeal_until).strftime("%Y-%m-%d %H:%M")),
        )
