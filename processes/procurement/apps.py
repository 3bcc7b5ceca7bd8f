from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "processes.procurement"
    label = "procurement"
    verbose_name = "政府购买服务"

    def organization_ended(self, organization_id):
        """P2: an awarded or contracted organization merged or dissolved; tell the department."""
        from .services import organization_ended

        organization_ended(organization_id)

    def portal_section(self, request):
        """Open tenders, the organization's bids and where each stands, on /portal/."""
        from .portal import portal_section

        return portal_section(request)
