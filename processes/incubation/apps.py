from engine.processes import ProcessConfig


class IncubationConfig(ProcessConfig):
    name = "processes.incubation"
    label = "incubation"
    verbose_name = "组织孵化"

    default = True
    process_name = "incubation"
    process_label = "组织孵化"

    def organization_ended(self, organization_id):
        """An applicant merged or dissolved: close its open application, free its place (I3)."""
        from .services import organization_ended

        organization_ended(organization_id)
