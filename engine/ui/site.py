"""The staff workbench: viewflow's Material ``Site`` with one application per area.

Processes add their applications with ``site.register`` in their ``AppConfig.ready``.
"""
from django.urls import path
from viewflow.urls import Application, Site

from . import views
from .dashboard import DashboardView


class WorkbenchSite(Site):
    title = "志愿郑州工作台"
    icon = "volunteer_activism"
    permission = None

    def has_view_permission(self, user, obj=None):
        from engine.directory.rights import is_staff_of_any, is_expert, is_city_leader

        return user.is_authenticated and (is_staff_of_any(user) or is_expert(user) or is_city_leader(user))


class OverviewApp(Application):
    """Landing page of the workbench: the user's departments and roles."""

    title = "总览"
    icon = "dashboard"
    app_name = "overview"

    index_path = path("", views.OverviewView.as_view(), name="index")
    dashboard_path = path("dashboard/", DashboardView.as_view(), name="dashboard")
    menu_template_name = "ui/overview_menu.html"


def _process_apps():
    """Each process's workbench application, when the process provides one."""
    from importlib import import_module

    found = []
    for name in ("incubation", "procurement", "certification"):
        try:
            module = import_module(f"processes.{name}.views")
        except ModuleNotFoundError as exc:
            if exc.name != f"processes.{name}.views":
                raise
            continue
        app_class = getattr(module, "WorkbenchApp", None)
        if app_class is not None:
            found.append(app_class())
    return found


from .tasks import TasksApp  # noqa: E402

site = WorkbenchSite(viewsets=[OverviewApp(), TasksApp(), *_process_apps()])
