from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "engine.imports"
    label = "imports"
    verbose_name = _("Data import")

    def ready(self):
        # Every app's resources.py registers its resources by name (see registry.py); loading
        # them here means the web process, the worker and manage.py all see the same registry.
        autodiscover_modules("resources")
