"""The dashboard's area of the staff workbench."""
from django.urls import path
from django.utils.translation import gettext_lazy as _

from engine.ui.pages import WorkbenchApplication

from . import views


class DashboardApp(WorkbenchApplication):
    title = _("Dashboard and reports")
    icon = "insights"
    app_name = "dashboard"

    index_path = path("", views.StaffDashboardView.as_view(), name="index")
    export_path = path("export.xlsx", views.ExportView.as_view(), name="export")
    report_path = path("report.pdf", views.ReportView.as_view(), name="report")
    flows_path = path("flows/", views.FlowListView.as_view(), name="flows")
    flow_svg_path = path("flows/<str:key>.svg", views.FlowSvgView.as_view(), name="flow_svg")
    flow_bpmn_path = path("flows/<str:key>.bpmn", views.FlowBpmnView.as_view(), name="flow_bpmn")
    menu_links = (
        ("dashboard:index", "insights", _("Dashboard")),
        ("dashboard:flows", "account_tree", _("Flow diagrams")),
        ("public_dashboard:index", "public", _("Public figures")),
    )
