from django.core import checks

from engine.processes import ProcessConfig


class CertificationConfig(ProcessConfig):
    name = "processes.certification"
    label = "certification"
    verbose_name = "志愿服务记录与证明"

    default = True
    process_name = "certification"
    process_label = "记录与证明"

    def ready(self):
        from .signing import check_signing_key

        checks.register(check_signing_key, checks.Tags.security, deploy=True)

        try:  # registers "volunteers" and "service_records" with the engine's import registry
            from . import resources  # noqa: F401
        except ImportError:  # the import infrastructure is optional for the process itself
            pass

    def organization_ended(self, organization_id):
        """R9: an issuer merged or dissolved; move its open requests and disputes now."""
        from .tasks import sweep

        sweep.delay()
