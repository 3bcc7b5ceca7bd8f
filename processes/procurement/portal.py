"""The organization's view in the portal: tenders open to it, its bids and where each stands,
and the bid form (submit or replace before the deadline)."""
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from engine.cases.errors import DomainError
from engine.directory import rights
from engine.directory.models import Organization
from engine.documents.access import case_access_for, case_documents
from engine.documents.download import file_response
from engine.documents.models import Document
from engine.ui.pages import act, portal_url

from . import selectors, services
from .document_kinds import TENDER
from .models import Complaint, Contract, Payment, Tender
from .serializers import bid_standing_and_badge
from .services.common import eligibility_problem

TITLE = gettext_lazy("Tenders, bids and contracts")


def portal_applies(user) -> bool:
    """Organizations bid and deliver; a volunteer has nothing here."""
    return bool(rights.organization_ids(user))


def _context(user):
    orgs = list(Organization.objects.filter(pk__in=rights.organization_ids(user)))
    eligible = [o for o in orgs if not eligibility_problem(o)]
    bids = list(selectors.bids_of(user).filter(withdrawn_at__isnull=True).select_related("tender__department"))
    for bid in bids:
        bid.standing, bid.badge = bid_standing_and_badge(bid)
    bid_on = {(b.tender_id, b.organization_id) for b in bids}
    tenders = list(selectors.open_tenders(user).order_by("tender_end"))
    invited = set(Tender.invitees.through.objects.filter(tender__in=tenders, organization__in=orgs)
                  .values_list("tender_id", "organization_id"))
    for tender in tenders:
        tender.can_bid = [o for o in eligible if (tender.pk, o.pk) not in bid_on
                          and (not tender.by_invitation or (tender.pk, o.pk) in invited)]
    now = timezone.now()
    for bid in bids:  # P7: a bidder may complain while the award is in its standstill
        bid.may_complain = bid.tender.status == Tender.Status.STANDSTILL and bid.tender.standstill_end and now < bid.tender.standstill_end
    org_ids = [o.pk for o in orgs]
    complaints = list(Complaint.objects.filter(organization_id__in=org_ids).select_related("tender", "organization")
                      .order_by("-filed_at"))
    contracts = list(Contract.objects.filter(organization_id__in=org_ids, tender__status=Tender.Status.DELIVERY)
                     .select_related("tender").prefetch_related("milestones", "payments"))
    for contract in contracts:
        payments = list(contract.payments.all())
        for m in contract.milestones.all():
            taken = sum((p.amount for p in payments if p.milestone_id == m.pk and p.status != Payment.Status.REJECTED),
                        Decimal("0.00"))
            m.payable = m.amount - taken if m.accepted_at else Decimal("0.00")
    return {"orgs": orgs, "eligible": eligible, "tenders": tenders, "bids": bids, "complaints": complaints,
            "contracts": contracts}


def portal_section(request):
    """HTML card for /portal/: open tenders, the user's organizations' bids and their standing."""
    if not rights.organization_ids(request.user):
        return ""
    return render_to_string("procurement/portal_section.html", _context(request.user), request=request)


@login_required
def bid_form(request, reference):
    """Submit a bid, replace the organization's live one, or withdraw it — before the deadline
    (P2, P4). What was typed stays in the form when the service refuses it."""
    tender = selectors.open_tenders(request.user).filter(reference=reference).first()
    if tender is None:
        raise Http404(_("The tender is not open for bids."))
    orgs = Organization.objects.filter(pk__in=rights.organization_ids(request.user))
    if tender.by_invitation:  # P3: only the invited organizations bid
        orgs = orgs.filter(procurement_invitations=tender)
    orgs = [o for o in orgs if not eligibility_problem(o)]
    own = {b.organization_id: b for b in tender.bids.filter(withdrawn_at__isnull=True, organization__in=orgs)}
    typed = {}
    if request.method == "POST":
        post = request.POST
        typed = {"organization": post.get("organization", ""), "price": post.get("price", ""),
                 "content": post.get("content", "")}
        try:
            org_id = int(post.get("organization") or 0)
            if post.get("action") == "withdraw":
                if org_id not in own:
                    raise ValueError
                services.bid_withdraw(actor=request.user, bid_id=own[org_id].pk)
                messages.success(request, _("The bid has been withdrawn."))
            elif org_id in own:
                services.bid_replace(actor=request.user, bid_id=own[org_id].pk, price=typed["price"],
                                     content=typed["content"])
                messages.success(request, _("The bid has been replaced."))
            else:
                services.bid_submit(actor=request.user, tender_id=tender.pk, organization_id=org_id,
                                    price=typed["price"], content=typed["content"])
                messages.success(request, _("The bid has been submitted; it stays sealed until the bidding deadline."))
            return redirect(portal_url("procurement"))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        except ValueError:
            messages.error(request, _("Please choose the bidding organization."))
    return render(request, "procurement/bid_form.html", {
        "tender": tender, "orgs": orgs, "own": own, "current": list(own.values()), "typed": typed,
    })


@login_required
@require_POST
def complaint(request, reference):
    """File a complaint on an award in its standstill (P7), or take an answered one to finance."""
    post, user = request.POST, request.user
    back = portal_url("procurement")
    if post.get("action") == "escalate":
        return act(request, lambda: services.complaint_escalate(
            actor=user, complaint_id=post.get("complaint"), reason=post.get("text", "")), _("The complaint has been escalated to the finance bureau."), back=back)
    tender = Tender.objects.filter(reference=reference).first()
    if tender is None:
        raise Http404(_("No such tender."))
    try:
        organization_id = int(post.get("organization") or 0)
    except ValueError:
        messages.error(request, _("Please choose an organization."))
        return redirect(back)
    return act(request, lambda: services.complaint_file(
        actor=user, tender_id=tender.pk, organization_id=organization_id, text=post.get("text", "")),
        _("The complaint has been filed; the purchasing department will answer it."), back=back)


@login_required
@require_POST
def payment_request(request, milestone_id):
    """The contracted organization asks to be paid for an accepted milestone (P8)."""
    return act(request, lambda: services.payment_request(
        actor=request.user, milestone_id=milestone_id, amount=request.POST.get("amount", "")),
        _("The payment request has been submitted for the finance bureau's review."), back=portal_url("procurement"))


@login_required
@require_POST
def milestone_documents(request, milestone_id):
    """The contractor hands in a milestone's acceptance materials or its invoice (P8)."""
    return act(request, lambda: services.milestone_documents_upload(
        actor=request.user, milestone_id=milestone_id, kind=request.POST.get("kind", ""),
        files=request.FILES.getlist("files")),
        _("The documents have been uploaded to the milestone."), back=portal_url("procurement"))


@login_required
def tender_documents(request, reference):
    """A tender's documents as the reader may see them (``documents.py``: the tender documents,
    their own organization's files, the contractor's contract documents) with the upload."""
    tender = Tender.objects.filter(reference=reference).first()
    if tender is None or case_access_for(request.user, tender) is None:
        raise Http404(_("No such tender."))
    return render(request, "procurement/documents.html", {"tender": tender})


def tender_document(request, reference, pk):
    """A published tender's documents (招标文件) are public: anyone may download them, signed in
    or not. Nothing else of a tender is served here (bid files never)."""
    tender = Tender.objects.filter(reference=reference, published_at__isnull=False).first()
    document = None
    if tender is not None:
        document = (case_documents(tender).filter(pk=pk, kind=TENDER, status=Document.Status.CURRENT)
                    .prefetch_related("versions").first())
    if document is None:
        raise Http404(_("No such document."))
    version = next(v for v in document.versions.all() if v.number == document.latest_number)
    return file_response(version)
