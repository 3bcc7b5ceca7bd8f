from django.apps import AppConfig


class IncubationConfig(AppConfig):
    name = "processes.incubation"
    label = "incubation"
    verbose_name = "组织孵化"

    def organization_ended(self, organization_id):
        """An applicant merged or dissolved: close its open application, free its place (I3)."""
        from .services import organization_ended

        organization_ended(organization_id)

    def portal_section(self, request):
        """The organization's incubation applications on /portal/ (status in Chinese)."""
        from .portal import portal_section

        return portal_section(request)
