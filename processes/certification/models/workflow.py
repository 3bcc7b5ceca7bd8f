"""The viewflow processes of this process's cases (proxies: the case data lives on the cases)."""
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process


class CertificateProcess(Process):
    class Meta:
        proxy = True
        verbose_name = _("Volunteer service certificate process")


class DisputeProcess(Process):
    class Meta:
        proxy = True
        verbose_name = _("Dispute process")


class AuthenticityProcess(Process):
    class Meta:
        proxy = True
        verbose_name = _("Certificate authenticity check process")
