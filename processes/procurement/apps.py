from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "processes.procurement"
    label = "procurement"
    verbose_name = "政府购买服务"
