"""Deadlines of providers in the time bank, for the reminders of ``engine.notifications``: the
answer to a redemption (T6, ``TIMEBANK_REDEMPTION_ANSWER_DAYS`` working days), after which it
expires and the hours go back to the volunteer. The managers of the organization that answers
for the provider (the provider itself unless it merged) are reminded."""
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine.notifications.reminders import Deadline
from engine.notifications.services import Text
from engine.ui.pages import portal_url
from processes.certification.services.routing import managers_by_organization

from .models import Redemption


def deadlines(now, lead):
    waiting = list(Redemption.objects.filter(
        status=Redemption.Status.HELD, due_at__gt=now, due_at__lte=now + lead("reminder.redemption"),
    ).select_related("service"))
    managers = managers_by_organization({r.handler_id for r in waiting if r.handler_id})
    for redemption in waiting:
        yield Deadline(
            kind="reminder.redemption", obj=redemption, deadline=redemption.due_at,
            recipients=managers.get(redemption.handler_id, []), reference=redemption.reference,
            link=portal_url("timebank"),
            title=Text(_("Answer redemption %(ref)s soon"), ref=redemption.reference),
            body=Text(_("Confirm that %(service)s was delivered, or decline it, by %(until)s; unanswered, it expires and the hours go back to the volunteer."),
                      service=redemption.service.title,
                      until=timezone.localtime(redemption.due_at).strftime("%Y-%m-%d %H:%M")),
        )
