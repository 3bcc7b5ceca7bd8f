from django.utils.translation import gettext_lazy as _

from engine.processes import ProcessConfig


class IncubationConfig(ProcessConfig):
    name = "processes.incubation"
    label = "incubation"
    verbose_name = _("Organization incubation")

    default = True
    process_name = "incubation"
    process_label = _("Organization incubation")
