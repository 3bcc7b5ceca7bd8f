"""The viewflow processes of this process's cases (proxies: the case data lives on the cases)."""
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process


class CertificateProcess(Process):
    class Meta:
        proxy = True
        verbose_name = _("志愿服务证明流程")


class DisputeProcess(Process):
    class Meta:
        proxy = True
        verbose_name = _("异议流程")


class AuthenticityProcess(Process):
    class Meta:
        proxy = True
        verbose_name = _("证明真实性核查流程")
