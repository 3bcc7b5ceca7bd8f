from django.utils.translation import gettext_lazy as _

from engine.processes import ProcessConfig


class TimebankConfig(ProcessConfig):
    name = "processes.timebank"
    label = "timebank"
    verbose_name = _("Time bank")

    default = True
    process_name = "timebank"
    process_label = _("Time bank")
