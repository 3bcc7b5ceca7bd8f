"""Bids: eligible organizations only (P2), sealed and accepted only before the deadline (P4).

Every bid write locks the tender row and reads the clock under that lock; the chronograph
closes bidding under the same lock, so a bid racing the deadline is either stored before the
close (and counted) or refused with a 409 — never half-stored.

Secrecy (招标投标法 Art. 22, P4): until the deadline nobody but the bidder learns who bid or
how many. A bid's audit events are kept under the bid, not under the tender's reference, so the
case history shows none of them; the close names the bidders once the deadline has passed. A
bid of another organization is answered exactly like a bid that does not exist.
"""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.directory import rights
from engine.directory.models import Organization
from engine.documents.services import require_documents

from ..models import Bid, Tender
from .common import check_acts_for, eligibility_problem, lock_tender, money, text


def _open_for_bids(tender):
    """The moment the bid is received, checked against the deadline under the tender's lock
    (P4); the bid records this moment, not a later one, so an accepted bid is never stamped
    after the deadline."""
    received = timezone.now()
    if tender.status != Tender.Status.TENDERING:
        raise StateConflict(_("The tender is not open for bids."), code="not_tendering")
    if received >= tender.tender_end:
        raise StateConflict(_("The bidding deadline has passed; the bid is not accepted."), code="deadline_passed")
    return received


def _organization(organization_id) -> Organization:
    try:
        return Organization.objects.get(pk=organization_id)
    except (Organization.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such organization.")) from None


def _check_price(tender, price):
    price = money(price, "price")
    if price > tender.amount:
        raise RuleViolation(_("The price may not exceed the price ceiling."), fields={"price": [_("Above the price ceiling.")]})
    return price


def _audit(actor, action, bid, **extra):
    # Sealed (P4): the trail records that a bid exists, never its price or content, and under
    # the bid (no case reference), so the tender's history does not name the bidder.
    audit_record(actor=actor, action=action, object_type="procurement.bid", object_id=bid.pk,
                 after={"bid": bid.pk, "tender": bid.tender_id, "organization": bid.organization_id, **extra})


def bid_submit(*, actor, tender_id, organization_id, price, content: str) -> Bid:
    """An eligible organization's member submits its one live bid before the deadline."""
    content = text(content, "content", label=_("the bid content"), required=True)
    organization = _organization(organization_id)
    check_acts_for(actor, organization)
    if problem := eligibility_problem(organization):
        raise RuleViolation(problem, code="not_eligible")
    with transaction.atomic():
        tender = lock_tender(tender_id)
        received = _open_for_bids(tender)
        if tender.by_invitation and not tender.invitees.filter(pk=organization.pk).exists():
            raise NotAllowed(
                _("This tender uses %(method)s: only invited organizations may bid.") % {"method": tender.get_method_display()},
                code="not_invited",
            )
        price = _check_price(tender, price)
        if tender.bids.filter(organization=organization, withdrawn_at__isnull=True).exists():
            raise StateConflict(_("The organization has already bid; to change it, replace the bid."), code="bid_exists")
        # the bid's technical and price files, handed in (sealed) by this organization (P4)
        require_documents(tender, "procurement.bid", organization=organization)
        bid = Bid.objects.create(tender=tender, organization=organization, submitted_by=actor,
                                 price=price, content=content, submitted_at=received)
        _audit(actor, "procurement.bid.submit", bid)
    return bid


def _lock_own_bid(actor, bid_id):
    """The actor's organizations' bid, locked after its tender; any other bid id is a 404 with
    the same body as one that does not exist (P4: no probing for who bid)."""
    try:
        bid = Bid.objects.select_related("organization").get(pk=bid_id)
    except (Bid.DoesNotExist, ValueError, TypeError):
        bid = None
    if bid is None or not rights.acts_for(actor, bid.organization_id):
        raise NotFound(_("No such bid."))
    tender = lock_tender(bid.tender_id)
    bid = Bid.objects.select_for_update().get(pk=bid.pk)
    if not bid.is_live:
        raise StateConflict(_("The bid has been withdrawn or replaced."), code="bid_withdrawn")
    return tender, bid


def bid_withdraw(*, actor, bid_id) -> Bid:
    """Withdraw before the deadline; the row stays (it was submitted) but no longer counts."""
    with transaction.atomic():
        tender, bid = _lock_own_bid(actor, bid_id)
        _open_for_bids(tender)
        bid.withdrawn_at = timezone.now()
        bid.save(update_fields=["withdrawn_at"])
        _audit(actor, "procurement.bid.withdraw", bid)
    return bid


def bid_replace(*, actor, bid_id, price, content: str) -> Bid:
    """Replace before the deadline: the old version is withdrawn and linked to the new one."""
    content = text(content, "content", label=_("the bid content"), required=True)
    with transaction.atomic():
        tender, old = _lock_own_bid(actor, bid_id)
        received = _open_for_bids(tender)
        price = _check_price(tender, price)
        require_documents(tender, "procurement.bid", organization=old.organization_id)
        old.withdrawn_at = received
        old.save(update_fields=["withdrawn_at"])
        new = Bid.objects.create(tender=tender, organization=old.organization, submitted_by=actor,
                                 price=price, content=content, submitted_at=received)
        old.replaced_by = new
        old.save(update_fields=["replaced_by"])
        _audit(actor, "procurement.bid.replace", new, replaces=old.pk)
    return new
