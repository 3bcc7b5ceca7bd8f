"""The procurement process's documents (issue #9), registered with ``engine.documents.policy``.

Kinds: the tender documents (招标文件, public once the tender is published), each bidder's
technical and price files, the contract, milestone acceptance materials, invoices and complaint
evidence.

**Bid files are sealed exactly like the bid (P4, 招标投标法 Art. 22).** ``sealed(now)`` is the
one rule, applied by ``engine.documents.access`` to every list, download, the API, the pages and
the admin: until the tender's deadline has passed *and been processed* (``Tender.sealed``) the
bid files exist only for the organization that handed them in; the files of an organization
whose bid was withdrawn are never opened. After the close the tender's working scope (the
purchasing department, finance, the evaluation panel: ``selectors.staff_scope``, the same as a
bid's price) sees them; other bidders never do. Their audit events are kept off the tender's
history and carry neither name, size nor SHA-256; the close records the SHA-256 of the files it
opens (``services.chronograph``).

Who may see the documents of a tender (``access``): its working scope (staff), and, once the
tender is published, any signed-in person as a party, who lists the tender documents, the
documents their own organizations handed in, and — the contractor — the contract's documents.
"""
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine.cases.registry import PARTY, STAFF
from engine.directory import rights
from engine.documents.policy import DocumentPolicy, acting_organizations, register

from .document_kinds import BID_KINDS, CONTRACT_KINDS, EVIDENCE, TENDER
from .models import Bid, Complaint, Contract, Milestone, Tender
from .selectors import is_staff_view


class ProcurementDocuments(DocumentPolicy):
    kinds = {
        TENDER: _("Tender documents"),
        "bid_technical": _("Bid technical file"),
        "bid_price": _("Bid price file"),
        "contract": _("Contract"),
        "acceptance": _("Milestone acceptance materials"),
        "invoice": _("Invoice"),
        EVIDENCE: _("Complaint evidence"),
    }
    party_kinds = (*BID_KINDS, "contract", "acceptance", "invoice", EVIDENCE)
    staff_kinds = (TENDER, "contract", "acceptance")
    # what a document may be about: its bidder's own bid, a milestone of the contract, a complaint
    subject_kinds = {
        "bid_technical": ("procurement.bid",), "bid_price": ("procurement.bid",),
        "acceptance": ("procurement.milestone",), "invoice": ("procurement.milestone",),
        EVIDENCE: ("procurement.complaint",),
    }

    def case_subjects(self, user, case, model: str):
        """Bids: only the user's organizations' own live bids (P4: nobody else's bid is named
        before the close). Milestones: the department's staff and the contractor. Complaints:
        the staff, and a complaining organization its own."""
        own = acting_organizations(user)
        staff = is_staff_view(user, case)
        if model == "procurement.bid":
            return Bid.objects.filter(tender_id=case.pk, organization_id__in=own, withdrawn_at__isnull=True) \
                .select_related("tender", "organization").order_by("submitted_at", "pk")
        if model == "procurement.milestone":
            milestones = Milestone.objects.filter(contract__tender_id=case.pk).order_by("due_date", "pk")
            return milestones if staff else milestones.filter(contract__organization_id__in=own)
        if model == "procurement.complaint":
            complaints = Complaint.objects.filter(tender_id=case.pk).order_by("pk")
            return complaints if staff else complaints.filter(organization_id__in=own)
        return None

    def access(self, user, case):
        if is_staff_view(user, case):
            return STAFF
        return PARTY if case.published_at is not None else None

    def parties(self, user, case) -> set[int]:
        """Any organization the user acts for may bid on a published tender; what it may hand in
        beyond its bid files depends on its part (``upload_kinds``)."""
        return set(acting_organizations(user)) if case.published_at is not None else set()

    def may_see(self, user, case, access) -> bool:
        return access is not None

    def document_filter(self, user, case, access):
        """Staff list everything not sealed; a party the tender documents, its own documents,
        and as the contractor the contract's documents."""
        if access == STAFF:
            return None
        own = acting_organizations(user)
        q = Q(kind=TENDER) | Q(organization_id__in=own)
        if Contract.objects.filter(tender_id=case.pk, organization_id__in=own).exists():
            q |= Q(kind__in=CONTRACT_KINDS)
        return q

    def upload_kinds(self, user, case, access) -> list[str]:
        """What may be handed in now, by the tender's status (read under the tender's lock when
        uploading, so a bid file racing the deadline is stored before the close or refused)."""
        status, allowed = case.status, set()
        own = self.parties(user, case)
        if own:
            if status == Tender.Status.TENDERING and timezone.now() < case.tender_end and (
                not case.by_invitation or case.invitees.filter(pk__in=own).exists()
            ):
                allowed.update(BID_KINDS)
            contractor = Contract.objects.filter(tender_id=case.pk, organization_id__in=own).exists()
            if status == Tender.Status.CONTRACTING and case.awarded_bid and case.awarded_bid.organization_id in own:
                allowed.add("contract")
            if status == Tender.Status.DELIVERY and contractor:
                allowed.update(("contract", "acceptance", "invoice"))
            if status in (Tender.Status.STANDSTILL, Tender.Status.CONTRACTING) and case.bids.filter(
                organization_id__in=own, withdrawn_at__isnull=True,
            ).exists():
                allowed.add(EVIDENCE)
        if access == STAFF and not user.is_superuser and case.department_id in rights.department_ids(user) \
                and not case.conflicts_with(user):
            if status in (Tender.Status.DRAFT, Tender.Status.FINANCE_PRECHECK):
                allowed.add(TENDER)
            if status in (Tender.Status.CONTRACTING, Tender.Status.DELIVERY):
                allowed.update(("contract", "acceptance"))
        return [k for k in self.kinds if k in allowed]

    def may_change(self, user, document, case, access) -> bool:
        """A bid file only while bids are accepted (after the deadline it is what was bid); the
        tender documents only before publication; the rest as the engine's default."""
        if document.kind in BID_KINDS and not (
            case.status == Tender.Status.TENDERING and timezone.now() < case.tender_end
        ):
            return False
        if document.kind == TENDER and case.status not in (Tender.Status.DRAFT, Tender.Status.FINANCE_PRECHECK):
            return False
        return super().may_change(user, document, case, access)

    def sealed(self, now):
        """P4: bid files of tenders still sealed at ``now`` (deadline not passed or its close not
        processed), and those of an organization without a live bid on the tender (a withdrawn
        bid is never opened)."""
        still_sealed = Tender.objects.filter(Q(bids_at_close__isnull=True) | Q(tender_end__gt=now)).values("pk")
        live_bid = Bid.objects.filter(tender_id=OuterRef("case_id"), organization_id=OuterRef("organization_id"),
                                      withdrawn_at__isnull=True)
        return Q(kind__in=BID_KINDS) & (Q(case_id__in=still_sealed) | ~Exists(live_bid))

    def sealed_until(self, document):
        if document.kind not in BID_KINDS:
            return None
        tender = Tender.objects.only("tender_end", "bids_at_close").get(pk=document.case_id)
        return tender.tender_end if tender.sealed else None

    def audit_target(self, document, case) -> dict:
        """Bid files are recorded like the bid (``services.bids._audit``): under the bid's
        organization and the tender's id, never under the tender's reference, so the case
        history does not show who handed in files before the close."""
        if document.kind in BID_KINDS:
            return {"object_type": "procurement.bid_document", "object_id": document.pk}
        return {"obj": case}


register("procurement", ProcurementDocuments())
