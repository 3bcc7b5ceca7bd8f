from django.apps import AppConfig


class IncubationConfig(AppConfig):
    name = "processes.incubation"
    label = "incubation"
    verbose_name = "组织孵化"
