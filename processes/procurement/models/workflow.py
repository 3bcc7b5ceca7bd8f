"""The viewflow process of a tender (a proxy: the case data lives on ``Tender``)."""
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process


class TenderProcess(Process):
    class Meta:
        proxy = True
        verbose_name = _("government purchase of services process")
        verbose_name_plural = _("government purchase of services processes")
