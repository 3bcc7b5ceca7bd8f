from engine.processes import ProcessConfig


class ProcurementConfig(ProcessConfig):
    name = "processes.procurement"
    label = "procurement"
    verbose_name = "政府购买服务"

    default = True
    process_name = "procurement"
    process_label = "政府购买服务"

    def organization_ended(self, organization_id):
        """P2: an awarded or contracted organization merged or dissolved; tell the department."""
        from .services import organization_ended

        organization_ended(organization_id)
