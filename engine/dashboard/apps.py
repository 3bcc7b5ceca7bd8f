from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "engine.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard and reports")

    def portal_section(self, request):
        """An organization's own figures, as a card in the portal (``portal.portal_section``)."""
        return import_module(f"{self.name}.portal").portal_section(request)
