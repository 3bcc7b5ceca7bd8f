from django.utils.translation import gettext_lazy as _

from engine.processes import ProcessConfig


class ProcurementConfig(ProcessConfig):
    name = "processes.procurement"
    label = "procurement"
    verbose_name = _("Government purchase of services")

    default = True
    process_name = "procurement"
    process_label = _("Government purchase of services")
