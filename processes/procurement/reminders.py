"""Deadlines of organizations in procurement, for the reminders of ``engine.notifications``:
the bidding deadline of the tenders an organization may bid on (P2 eligibility, P4 deadline;
invited tenders: only the invitees) and the due date of its contract's milestones (P8)."""
from datetime import datetime, time

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine.directory.models import Organization, OrganizationMember
from engine.notifications.reminders import Deadline
from engine.notifications.services import Text
from engine.ui.pages import portal_url

from .models import Milestone, Tender

ELIGIBLE = Q(registered=True, status=Organization.Status.ACTIVE, good_standing=True, fiscal_funded=False)


def _members(organization_ids) -> dict[int, list]:
    members: dict[int, list] = {}
    for m in OrganizationMember.objects.filter(organization_id__in=organization_ids).select_related("user"):
        members.setdefault(m.organization_id, []).append(m.user)
    return members


def _bidding(now, lead):
    tenders = list(Tender.objects.filter(
        status__in=[Tender.Status.PUBLISHED, Tender.Status.TENDERING],
        tender_end__gt=now, tender_end__lte=now + lead("reminder.bidding"),
    ).prefetch_related("invitees"))
    if not tenders:
        return
    eligible = set(Organization.objects.filter(ELIGIBLE).values_list("pk", flat=True))
    for tender in tenders:
        may_bid = {o.pk for o in tender.invitees.all()} & eligible if tender.by_invitation else set(eligible)
        may_bid -= set(tender.bids.filter(withdrawn_at__isnull=True).values_list("organization_id", flat=True))
        users = [u for users in _members(may_bid).values() for u in users]
        if users:
            yield Deadline(
                kind="reminder.bidding", obj=tender, deadline=tender.tender_end, recipients=users,
                reference=tender.reference, link=portal_url("procurement"),
                title=Text(_("Bidding closes soon: %(name)s"), name=tender.name),
                body=Text(_("The bidding deadline of %(ref)s is %(end)s."), ref=tender.reference,
                          end=timezone.localtime(tender.tender_end).strftime("%Y-%m-%d %H:%M")),
            )


def _milestones(now, lead):
    today = timezone.localdate(now)
    last = timezone.localdate(now + lead("reminder.milestone"))
    milestones = list(Milestone.objects.filter(
        accepted_at__isnull=True, due_date__gte=today, due_date__lte=last,
        contract__tender__status=Tender.Status.DELIVERY,
    ).select_related("contract__tender"))
    members = _members({m.contract.organization_id for m in milestones})
    for milestone in milestones:
        tender = milestone.contract.tender
        # due at the end of its day, Asia/Shanghai
        due = timezone.make_aware(datetime.combine(milestone.due_date, time(23, 59, 59)))
        yield Deadline(
            kind="reminder.milestone", obj=milestone, deadline=due,
            recipients=members.get(milestone.contract.organization_id, []), reference=tender.reference,
            link=portal_url("procurement"),
            title=Text(_("Milestone due soon: %(name)s"), name=milestone.name),
            body=Text(_("The milestone “%(name)s” of %(ref)s is due on %(date)s."), name=milestone.name,
                      ref=tender.reference, date=milestone.due_date.isoformat()),
        )


def deadlines(now, lead):
    yield from _bidding(now, lead)
    yield from _milestones(now, lead)

