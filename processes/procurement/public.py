"""Public tender notices (招标公告, P10): the list of published tenders and one tender's notice,
readable without logging in. A notice shows what the purchasing department published (service,
price ceiling, periods), the award once finance approved it (P6) and the answered enquiries;
nothing about bids before the deadline (P4), not even how many there are. On the notice a
registered organization's member asks a question during the enquiry period."""
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from engine.cases.errors import DomainError
from engine.directory import rights
from engine.directory.models import Organization
from engine.ui.pages import PAGE_SIZE

from . import ocds, selectors, services
from .models import Tender
from .services.enquiries import ask_problem, enquiry_period_open
from .throttles import enquiry_throttled

PHASE_LABELS = {
    "enquiry": gettext_lazy("Enquiry period"),
    "open": gettext_lazy("Open for bids"),
    "closed": pgettext_lazy("procurement", "Closed"),
    "awarded": gettext_lazy("Awarded"),
}
PHASE_BADGES = {"enquiry": "", "open": "ok", "closed": "bad", "awarded": "ok"}
SORT_LABELS = {
    "-published": gettext_lazy("Newest first"),
    "published": gettext_lazy("Oldest first"),
    "deadline": gettext_lazy("Bidding deadline, soonest first"),
    "-deadline": gettext_lazy("Bidding deadline, latest first"),
    "-amount": gettext_lazy("Price ceiling, highest first"),
    "amount": gettext_lazy("Price ceiling, lowest first"),
}
FILTERS = ("q", "department", "district", "category", "phase", "sort")


def _phase(tender):
    tender.phase = selectors.public_phase(tender)
    tender.phase_label, tender.phase_badge = PHASE_LABELS[tender.phase], PHASE_BADGES[tender.phase]
    tender.award_public = tender.status in Tender.AWARD_PUBLIC_STATES and tender.awarded_bid_id is not None
    return tender


def notice_list(request):
    """Every published tender, a page at a time: search, filters, sorting."""
    chosen = {name: request.GET.get(name, "").strip()[:100] for name in FILTERS}
    page = Paginator(selectors.public_notice_list(**chosen), PAGE_SIZE).get_page(request.GET.get("page"))
    for tender in page:
        _phase(tender)
    return render(request, "procurement/public_list.html", {
        "page_obj": page, "chosen": chosen, "filters": urlencode({k: v for k, v in chosen.items() if v}),
        "phases": PHASE_LABELS.items(), "sorts": SORT_LABELS.items(), **selectors.public_notice_filters(),
    })


def _askers(user, tender):
    """The organizations ``user`` may ask for, and, when there are none, why."""
    if not user.is_authenticated:
        return [], ""
    orgs = list(Organization.objects.filter(pk__in=rights.organization_ids(user)).order_by("name"))
    invited = set(tender.invitees.values_list("pk", flat=True)) if tender.by_invitation else set()
    allowed, problems = [], []
    for org in orgs:
        problem = ask_problem(tender, org, member=True, invited=org.pk in invited)
        (problems if problem else allowed).append(problem or org)
    return allowed, (problems[0] if problems and not allowed else "")


def notice_detail(request, reference):
    """One tender's notice; POST asks a question (a member of a registered organization, during
    the enquiry period, within the rate limit). A refused question stays in the form."""
    tender = selectors.public_notices().select_related("contract").filter(reference=reference).first()
    if tender is None:
        raise Http404(_("No such tender, or not published yet."))
    typed = {}
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        typed = {name: request.POST.get(name, "") for name in ("organization", "title", "question")}
        if _ask(request, tender, typed):
            return redirect(f"{request.path}#enquiries")
    return _render(request, tender, typed)


def _render(request, tender, typed):
    user = request.user
    _phase(tender)
    enquiries = list(selectors.tender_enquiries_for(user, tender))
    askers, why_not = _askers(user, tender)
    return render(request, "procurement/public_detail.html", {
        "tender": tender, "answered": [e for e in enquiries if e.is_answered],
        "pending": [e for e in enquiries if not e.is_answered],
        "asking_open": enquiry_period_open(tender), "enquiry_ended": timezone.now() >= tender.enquiry_end,
        "askers": askers, "why_not": why_not, "typed": typed,
        # the tender documents (招标文件), public with the notice, as the OCDS release lists them
        "tender_documents": ocds.tender_documents(tender, base_url=""),
        # P8: the contract is public once signed (as in the OCDS release)
        "contract": getattr(tender, "contract", None) if tender.status in (Tender.Status.DELIVERY, Tender.Status.COMPLETED) else None,
    })


def _ask(request, tender, typed) -> bool:
    """Ask through the service; say what happened. True when the question was taken."""
    if enquiry_throttled(request):
        messages.error(request, _("You have asked too many questions in a short time; please try again later."))
        return False
    try:
        services.enquiry_ask(actor=request.user, tender_id=tender.pk, organization_id=typed["organization"],
                             title=typed["title"], question=typed["question"])
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return False
    messages.success(request, _("Your question has been sent to the purchasing department, which will answer it on this page."))
    return True
