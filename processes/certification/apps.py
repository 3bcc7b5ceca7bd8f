from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "processes.certification"
    label = "certification"
    verbose_name = "志愿服务记录与证明"
