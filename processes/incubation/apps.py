from django.apps import AppConfig


class IncubationConfig(AppConfig):
    name = "processes.incubation"
    label = "incubation"
    verbose_name = "组织孵化"

    process_name = "incubation"
    process_label = "组织孵化"

    def workbench_app(self):
        """The process's application in the staff workbench."""
        from .views import WorkbenchApp

        return WorkbenchApp()

    def action_labels(self):
        """Chinese labels of the audit actions the process writes."""
        from .labels import ACTIONS

        return ACTIONS

    def organization_ended(self, organization_id):
        """An applicant merged or dissolved: close its open application, free its place (I3)."""
        from .services import organization_ended

        organization_ended(organization_id)

    def portal_section(self, request):
        """The organization's incubation applications on /portal/ (status in Chinese)."""
        from .portal import portal_section

        return portal_section(request)
