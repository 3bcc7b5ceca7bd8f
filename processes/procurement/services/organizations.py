"""When an organization merges or dissolves (the engine's ``organization_ended`` hook).

P2: it no longer qualifies as an undertaking body. Its bids still sealed need nothing now: the
close re-checks every bidder's eligibility and finds them invalid. Where it holds the proposed
or published award, or the contract, no rule can decide for the department — cancel before
contracting, or settle and end the contract — so each such tender records the event in its
audit trail and the purchasing department is told. No status changes here.
"""
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.audit.services import audit_record
from engine.directory.models import Membership, Organization
from engine.notifications.services import Text, notify

from ..models import Tender

AWARDED = (Tender.Status.AWARD_REVIEW, Tender.Status.STANDSTILL, Tender.Status.CONTRACTING)


def organization_ended(organization_id) -> int:
    """Record and announce the end on every tender the organization holds; returns how many."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None or organization.status == Organization.Status.ACTIVE:
        return 0
    tenders = list(Tender.objects.filter(
        Q(status__in=AWARDED, awarded_bid__organization_id=organization_id)
        | Q(status=Tender.Status.DELIVERY, contract__organization_id=organization_id)
    ).select_related("department").distinct())
    for tender in tenders:
        reason = _("%(org)s is now %(status)s and no longer eligible as a contractor; the purchasing department decides whether to terminate or how to proceed.") % {
            "org": organization.name, "status": organization.get_status_display()}
        audit_record(actor=None, action="procurement.organization_ended", obj=tender, reason=reason,
                     after={"organization": organization_id, "status": tender.status,
                            "successor": organization.successor_id})
        users = [m.user for m in Membership.objects.filter(department=tender.department).select_related("user")]
        if users:
            notify(users, title=Text(gettext_lazy("The contractor of %(ref)s has merged or been dissolved"), ref=tender.reference),
                   body=Text(gettext_lazy("%(org)s is now %(status)s and no longer eligible as a contractor; the purchasing department decides whether to terminate or how to proceed."),
                             org=organization.name, status=lazy(organization.get_status_display, str)()),
                   kind="procurement", reference=tender.reference, link=tender.get_absolute_url())
    return len(tenders)
