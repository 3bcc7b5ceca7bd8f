"""Pages of the time bank outside the portal: the public catalogue of services exchangeable
for hours (no login) and the staff workbench's list of redemptions."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from engine.cases.registry import staff_references
from engine.directory.models import District
from engine.ui.pages import WorkbenchApplication

from . import selectors
from .models import Redemption


def catalogue(request):
    """T5: the public list of services offered for hours, with search, filters and sorting."""
    params = request.GET
    page = Paginator(selectors.services(params), 20).get_page(params.get("page"))
    return render(request, "timebank/catalogue.html", {
        "page_obj": page, "districts": District.objects.order_by("pk"), "q": params.get("q", ""),
        "district": params.get("district", ""), "sort": params.get("sort", ""),
        "max_hours": params.get("max_hours", ""),
        "sorts": [("new", _("Newest first")), ("hours", _("Fewest hours first")), ("-hours", _("Most hours first")),
                  ("title", _("By name"))]})


class RedemptionListView(LoginRequiredMixin, TemplateView):
    """Redemptions of the providers the user's departments supervise (all for a superuser):
    searched, filtered by status, sorted, a page at a time."""

    template_name = "timebank/redemptions.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        qs = selectors.filter_redemptions(selectors.redemptions_visible_to(self.request.user), params)
        page = Paginator(qs, 20).get_page(params.get("page"))
        return {**super().get_context_data(**kwargs), "page_obj": page, "statuses": Redemption.Status.choices,
                "case_pages": staff_references(self.request.user, page.object_list),
                "status": params.get("status", ""), "q": params.get("q", ""), "sort": params.get("sort", ""),
                "sorts": [("new", _("Newest first")), ("due", _("Due first")), ("hours", _("Most hours first"))]}


class WorkbenchApp(WorkbenchApplication):
    """Time bank: the redemptions of supervised providers and the public catalogue."""

    title = _("Time bank")
    icon = "savings"
    app_name = "timebank"
    menu_links = (("timebank:index", "savings", _("Redemptions")), ("timebank-public:catalogue", "storefront", _("Services for hours")))

    index_path = path("", RedemptionListView.as_view(), name="index")
