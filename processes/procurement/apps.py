from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "processes.procurement"
    label = "procurement"
    verbose_name = "政府购买服务"

    process_name = "procurement"
    process_label = "政府购买服务"

    def workbench_app(self):
        """The process's application in the staff workbench."""
        from .views import WorkbenchApp

        return WorkbenchApp()

    def action_labels(self):
        """Chinese labels of the audit actions the process writes."""
        from .labels import ACTIONS

        return ACTIONS

    def dashboard_figures(self):
        """Volunteers, hours or spending for the 2025-goal dashboard."""
        from .selectors import dashboard_figures

        return dashboard_figures()

    def organization_ended(self, organization_id):
        """P2: an awarded or contracted organization merged or dissolved; tell the department."""
        from .services import organization_ended

        organization_ended(organization_id)

    def portal_section(self, request):
        """Open tenders, the organization's bids and where each stands, on /portal/."""
        from .portal import portal_section

        return portal_section(request)
