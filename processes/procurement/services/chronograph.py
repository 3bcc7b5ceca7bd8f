"""The chronograph: moves tenders whose period has ended (DOMAIN "Tender lifecycle").

published → tendering at the enquiry deadline; tendering → evaluation (or unsuccessful with
too few valid bids, P3) at the bidding deadline; standstill → contracting at the end of the
complaint period when no complaint is open (P7). Each move re-reads the tender under its row
lock and checks status and deadline again, so running the sweep twice moves a tender once.
"""
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engine.cases.errors import StateConflict
from engine.cases.services import case_transition, run_handle
from engine.documents.access import case_documents

from ..document_kinds import BID_KINDS
from ..flows import TenderFlow
from ..models import Bid, Complaint, Tender
from .common import eligibility_problem, release_commitment
from .enquiries import enquiries_remind_overdue

log = logging.getLogger(__name__)


class _NotDue(Exception):
    """The tender was already moved (or is not due any more): nothing to do."""


def _move(tender_id, action, due, apply, node):
    def check(case, actor):
        if not due(case, timezone.now()):
            raise _NotDue

    try:
        with transaction.atomic():
            with case_transition(model=Tender, pk=tender_id, actor=None, action=action, check=check) as ctx:
                apply(ctx)
            run_handle(ctx.case, node)
    except _NotDue:
        return False
    return True


def open_bidding(tender_id) -> bool:
    return _move(
        tender_id, "procurement.open_bidding",
        lambda t, now: t.status == Tender.Status.PUBLISHED and t.enquiry_end <= now,
        lambda ctx: ctx.case.open_bidding(), TenderFlow.enquiries,
    )


def _close(ctx):
    """Check every live bid (eligibility P2 again, price ceiling) and count the valid ones."""
    tender = ctx.case
    valid, opened = 0, []
    for bid in tender.bids.filter(withdrawn_at__isnull=True).select_related("organization"):
        problem = eligibility_problem(bid.organization)
        if not problem and bid.price > tender.amount:
            problem = _("The price is above the price ceiling.")
        Bid.objects.filter(pk=bid.pk).update(valid=not problem, invalid_reason=problem)
        valid += not problem
        opened.append({"bid": bid.pk, "organization": bid.organization_id, "valid": not problem})
    minimum = int(tender.method_spec["min_bids"])
    # the deadline has passed: from here the history names who bid (P4 kept it out until now)
    ctx.audit_after.update({"valid_bids": valid, "min_bids": minimum, "bids": opened,
                            "bid_files": _bid_files(tender, [b["organization"] for b in opened])})
    if valid < minimum:
        tender.fail(_("Fewer than %(n)s valid bids.") % {"n": minimum}, bids=valid)
        ctx.audit_after["released"] = release_commitment(tender)
    else:
        tender.close_bidding(valid)


def _bid_files(tender, organizations) -> list[dict]:
    """The SHA-256 of every version of the files of the bids opened (D4): their uploads were
    recorded without it while sealed (P4), so the close is where the trail fixes what was bid."""
    documents = (case_documents(tender).filter(kind__in=BID_KINDS, organization_id__in=organizations)
                 .prefetch_related("versions").order_by("pk"))
    return [{"document": d.pk, "organization": d.organization_id, "kind": d.kind, "status": d.status,
             "versions": [{"version": v.number, "sha256": v.sha256} for v in d.versions.all()]}
            for d in documents]


def close_bidding(tender_id) -> bool:
    return _move(
        tender_id, "procurement.close_bidding",
        lambda t, now: t.status == Tender.Status.TENDERING and t.tender_end <= now,
        _close, TenderFlow.bidding,
    )


def end_standstill(tender_id) -> bool:
    def due(t, now):
        return (t.status == Tender.Status.STANDSTILL and t.standstill_end <= now
                and not t.complaints.filter(status__in=Complaint.BLOCKING).exists())

    return _move(tender_id, "procurement.end_standstill", due, lambda ctx: ctx.case.end_standstill(),
                 TenderFlow.standstill)


def chronograph_run(now=None) -> dict:
    """One sweep over every due tender; returns how many moved per kind, and how many overdue
    enquiries were reminded of."""
    now = now or timezone.now()
    moved = {"open_bidding": 0, "close_bidding": 0, "end_standstill": 0}
    due = {
        "open_bidding": (Tender.objects.filter(status=Tender.Status.PUBLISHED, enquiry_end__lte=now), open_bidding),
        "close_bidding": (Tender.objects.filter(status=Tender.Status.TENDERING, tender_end__lte=now), close_bidding),
        "end_standstill": (Tender.objects.filter(status=Tender.Status.STANDSTILL, standstill_end__lte=now), end_standstill),
    }
    for kind, (qs, move) in due.items():
        for tender_id in qs.values_list("pk", flat=True):
            try:
                moved[kind] += move(tender_id)
            except StateConflict:
                continue
            except Exception:  # noqa: BLE001 - one broken tender must not stop the others' deadlines
                log.exception("chronograph: %s of tender %s failed", kind, tender_id)
    moved["overdue_enquiries"] = enquiries_remind_overdue(now)
    return moved
