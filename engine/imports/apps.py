from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ImportsConfig(AppConfig):
    name = "engine.imports"
    label = "imports"
    verbose_name = "数据导入"

    def ready(self):
        # Every app's resources.py registers its resources by name (see registry.py); loading
        # them here means the web process, the worker and manage.py all see the same registry.
        autodiscover_modules("resources")
