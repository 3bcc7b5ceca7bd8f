from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "engine.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self):
        # Each process's documents.py registers its DocumentPolicy (see policy.py), so the web
        # process, the worker and manage.py all know the same kinds and rules.
        autodiscover_modules("documents")
