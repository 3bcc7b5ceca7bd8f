from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "engine.ui"
    label = "ui"
    verbose_name = "工作台"
