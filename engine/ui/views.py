from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.generic import TemplateView

from engine.cases import selectors
from engine.directory import rights
from engine.directory.models import Membership

from .lists import menu_counts


@login_required
def home(request):
    """Send staff to the workbench and organizations and volunteers to the portal."""
    user = request.user
    if user.is_superuser or rights.is_staff_of_any(user) or rights.is_expert(user) or rights.is_city_leader(user):
        return redirect("index")
    return redirect("portal:index")


class OverviewView(TemplateView):
    """The workbench's landing page: what waits for me (my tasks) and for my departments (their
    queues), the first few of each by urgency with the counts, then my roles."""

    template_name = "ui/overview.html"
    FIRST = 5

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        counts = menu_counts(self.request)  # the menu's counts, read once for both
        ctx["inbox_count"], ctx["queue_count"] = counts["tasks:inbox"], counts["tasks:queue"]
        ctx["waiting_for_me"] = list(selectors.task_inbox(user)[: self.FIRST])
        ctx["waiting_for_department"] = list(selectors.task_queue(user)[: self.FIRST])
        ctx["memberships"] = (
            Membership.objects.filter(user=self.request.user)
            .select_related("department", "department__parent")
            .order_by("department__code", "role")
        )
        return ctx
