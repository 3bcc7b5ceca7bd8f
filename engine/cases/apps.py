from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "engine.cases"
    label = "cases"
    verbose_name = "案件与待办"
