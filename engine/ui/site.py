"""The staff workbench: viewflow's Material ``Site`` with one application per area.

Processes add their applications with ``site.register`` in their ``AppConfig.ready``.
"""
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from viewflow.urls import Site

from engine.dashboard.site import DashboardApp
from engine.directory.rights import is_city_leader, is_expert, is_staff_of_any
from engine.processes import hooks

from . import views
from .pages import WorkbenchApplication
from .tasks import TasksApp


class WorkbenchSite(Site):
    title = _("Zhiyuan Zhengzhou workbench")
    icon = "volunteer_activism"
    permission = None

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated and (is_staff_of_any(user) or is_expert(user) or is_city_leader(user))


class OverviewApp(WorkbenchApplication):
    """Landing page of the workbench: the user's departments and roles."""

    title = _("Overview")
    icon = "dashboard"
    app_name = "overview"

    index_path = path("", views.OverviewView.as_view(), name="index")
    # the dashboard moved to its own area (engine.dashboard); old links still arrive
    dashboard_path = path("dashboard/", RedirectView.as_view(pattern_name="dashboard:index", query_string=True),
                          name="dashboard")
    menu_links = (("overview:index", "badge", _("My departments and roles")),)


def _process_apps():
    """Each process's workbench application (``AppConfig.workbench_app``)."""
    return [make_app() for make_app in hooks("workbench_app")]


site = WorkbenchSite(viewsets=[OverviewApp(), DashboardApp(), TasksApp(), *_process_apps()])
