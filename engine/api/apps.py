from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """API plumbing: error format, token lifetime and revocation, client address."""

    name = "engine.api"
    label = "engine_api"
    verbose_name = _("API")

    def ready(self):
        from engine.api.tokens import connect_signals  # noqa: PLC0415 — imports the Token model: ready only now

        connect_signals()
