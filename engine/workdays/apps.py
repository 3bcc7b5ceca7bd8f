from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "engine.workdays"
    label = "workdays"
    verbose_name = _("Working-day calendar")

    def ready(self):
        import_module(f"{self.name}.signals")  # connects the cache invalidation
