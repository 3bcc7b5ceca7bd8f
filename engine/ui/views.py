from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.generic import TemplateView

from engine.directory import rights
from engine.directory.models import Membership


@login_required
def home(request):
    """Send staff to the workbench and organizations and volunteers to the portal."""
    user = request.user
    if user.is_superuser or rights.is_staff_of_any(user) or rights.is_expert(user) or rights.is_city_leader(user):
        return redirect("index")
    return redirect("portal:index")


class OverviewView(TemplateView):
    template_name = "ui/overview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["memberships"] = (
            Membership.objects.filter(user=self.request.user)
            .select_related("department", "department__parent")
            .order_by("department__code", "role")
        )
        return ctx
