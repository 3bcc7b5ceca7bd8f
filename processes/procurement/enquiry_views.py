"""The purchasing department's enquiries in the workbench (/workbench/procurement/enquiries/):
every question on its tenders, unanswered first by the due time on the working-day calendar,
with the number still waiting and the answer form; the answer is published at once (P10)."""
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from engine.ui.pages import PAGE_SIZE, act

from . import selectors, services

STATES = (
    ("unanswered", gettext_lazy("Awaiting an answer")),
    ("overdue", gettext_lazy("Overdue")),
    ("answered", gettext_lazy("Answered")),
)
SORTS = {
    "due": gettext_lazy("Due first"),
    "-asked": gettext_lazy("Newest question first"),
}


def answered_message(enquiry):
    return _("The answer to “%(title)s” has been published on the public page of %(ref)s.") % {
        "title": enquiry.title, "ref": enquiry.tender.reference}


class EnquiryListView(LoginRequiredMixin, View):
    def get(self, request):
        user = request.user
        chosen = {name: request.GET.get(name, "").strip()[:100] for name in ("state", "tender", "q", "sort")}
        mine = selectors.department_enquiries(user)
        counts = mine.aggregate(
            unanswered=Count("pk", filter=Q(answered_at__isnull=True)),
            overdue=Count("pk", filter=Q(answered_at__isnull=True, due_at__lt=timezone.now())),
        )
        qs = selectors.filter_enquiries(mine, state=chosen["state"], tender=chosen["tender"])
        if chosen["q"]:
            q = chosen["q"]
            qs = qs.filter(Q(title__icontains=q) | Q(question__icontains=q) | Q(tender__reference__icontains=q)
                           | Q(tender__name__icontains=q) | Q(organization__name__icontains=q))
        if chosen["sort"] == "-asked":
            qs = qs.order_by("-asked_at", "-pk")
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "procurement/workbench_enquiries.html", {
            "page_obj": page, "chosen": chosen, "counts": counts, "states": STATES, "sorts": SORTS.items(),
            "filters": urlencode({k: v for k, v in chosen.items() if v}),
        })

    def post(self, request):
        post = request.POST
        return act(request, lambda: services.enquiry_answer(
            actor=request.user, enquiry_id=post.get("enquiry"), answer=post.get("answer", "")),
            answered_message, back=request.get_full_path())
