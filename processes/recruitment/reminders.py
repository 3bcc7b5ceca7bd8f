"""Deadlines of organizations in recruitment, for the reminders of ``engine.notifications``:
selecting the volunteers of an open recruitment before its first time slot starts (an
emergency recruitment's answer window, before it ends): the due time of the case's task. The
organization's managers are reminded."""
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine.cases.models import TaskRoute
from engine.notifications.reminders import Deadline
from engine.notifications.services import Text
from engine.ui.pages import portal_url
from processes.certification.services.routing import managers_by_organization

from .models import Recruitment


def deadlines(now, lead):
    due = dict(TaskRoute.objects.open().filter(
        process_name="recruitment", due_at__gt=now, due_at__lte=now + lead("reminder.recruitment"),
    ).values_list("case_id", "due_at"))
    coming = list(Recruitment.objects.filter(pk__in=due, status=Recruitment.Status.OPEN)
                  .select_related("activity"))
    managers = managers_by_organization({r.activity.organization_id for r in coming})
    for recruitment in coming:
        yield Deadline(
            kind="reminder.recruitment", obj=recruitment, deadline=due[recruitment.pk],
            recipients=managers.get(recruitment.activity.organization_id, []), reference=recruitment.reference,
            link=portal_url("recruitment"),
            title=Text(_("Select the volunteers of %(title)s soon"), title=recruitment.title),
            body=Text(_("Recruitment %(ref)s: select from those signed up and close it by %(until)s."),
                      ref=recruitment.reference, until=timezone.localtime(due[recruitment.pk]).strftime("%Y-%m-%d %H:%M")),
        )
