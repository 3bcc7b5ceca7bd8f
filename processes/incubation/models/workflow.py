"""The viewflow process of an application (a proxy: the case data lives on the application)."""
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process


class IncubationProcess(Process):
    class Meta:
        proxy = True
        verbose_name = _("incubation process")
        verbose_name_plural = _("incubation processes")
