from django.core import checks
from django.utils.translation import gettext_lazy as _

from engine.processes import ProcessConfig

from .signing import check_signing_key


class CertificationConfig(ProcessConfig):
    name = "processes.certification"
    label = "certification"
    verbose_name = _("Volunteer service records and certificates")

    default = True
    process_name = "certification"
    process_label = _("Records and certificates")

    def ready(self):
        checks.register(check_signing_key, checks.Tags.security, deploy=True)

        # registers "volunteers" and "service_records" with the engine's import registry
        # and "national_volunteers" / "national_records" (the national system's files)
        from . import national, resources  # noqa: F401, PLC0415 — they import models, loaded only now
