from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """Dashboard and reports. An organization's own figures are linked from the portal's
    overview (``dashboard/_portal_card.html``)."""

    name = "engine.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard and reports")
