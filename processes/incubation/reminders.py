"""Deadlines of organizations in incubation, for the reminders of ``engine.notifications``:
the supplements of an application returned for them (I1, ``INCUBATION_SUPPLEMENTS_WORKING_DAYS``
after the return) and the acceptance of an offered incubation agreement (I4,
``INCUBATION_AGREEMENT_WORKING_DAYS`` after ``agreement_offered_at``), both on the working-day
calendar. The milestones of an incubation have no due dates, so they have no reminder."""
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine.audit.models import AuditEvent
from engine.directory.models import OrganizationMember
from engine.notifications.reminders import Deadline
from engine.notifications.services import Text
from engine.ui.pages import portal_url
from engine.workdays.calendar import add_working_days

from . import conf
from .models import IncubationApplication, Status

RETURN_ACTION = "incubation.intake.return"  # the audit action of the intake step's return (case_step)


def returned_at(applications) -> dict[str, object]:
    """When each returned application was last returned, by reference: the audit trail keeps
    it (a later save of the application does not move it)."""
    return dict(AuditEvent.objects.filter(action=RETURN_ACTION, reference__in=[a.reference for a in applications])
                .values("reference").annotate(at=Max("at")).values_list("reference", "at"))


def supplements_due(returned):
    """I1: the end of the last working day the supplements may come in."""
    return add_working_days(returned, conf.supplements_working_days())[0]


def agreement_due(application):
    """I4: the end of the last working day to accept the offered agreement."""
    return add_working_days(application.agreement_offered_at, conf.agreement_working_days())[0]


def _members(organization_ids) -> dict[int, list]:
    members: dict[int, list] = {}
    for m in OrganizationMember.objects.filter(organization_id__in=organization_ids).select_related("user"):
        members.setdefault(m.organization_id, []).append(m.user)
    return members


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _supplements(now, lead):
    returned = list(IncubationApplication.objects.filter(status=Status.RETURNED))
    moments = returned_at(returned)
    due = {a.pk: supplements_due(moments[a.reference]) for a in returned if a.reference in moments}
    coming = [a for a in returned if a.pk in due and now < due[a.pk] <= now + lead("reminder.supplements")]
    members = _members({a.organization_id for a in coming})
    for application in coming:
        yield Deadline(
            kind="reminder.supplements", obj=application, deadline=due[application.pk],
            recipients=members.get(application.organization_id, []), reference=application.reference,
            link=portal_url("incubation"),
            title=Text(_("Supplements due soon: incubation application %(ref)s"), ref=application.reference),
            body=Text(_("Please supply the missing documents and resubmit by %(until)s."),
                      until=_when(due[application.pk])),
        )


def _agreements(now, lead):
    offered = list(IncubationApplication.objects.filter(status=Status.AGREEMENT, agreement_offered_at__isnull=False,
                                                        agreement_accepted_at__isnull=True))
    due = {a.pk: agreement_due(a) for a in offered}
    coming = [a for a in offered if now < due[a.pk] <= now + lead("reminder.agreement")]
    members = _members({a.organization_id for a in coming})
    for application in coming:
        yield Deadline(
            kind="reminder.agreement", obj=application, deadline=due[application.pk],
            recipients=members.get(application.organization_id, []), reference=application.reference,
            link=portal_url("incubation"),
            title=Text(_("Incubation agreement to accept soon: %(ref)s"), ref=application.reference),
            body=Text(_("Please accept the incubation agreement by %(until)s."), until=_when(due[application.pk])),
        )


def deadlines(now, lead):
    yield from _supplements(now, lead)
    yield from _agreements(now, lead)
