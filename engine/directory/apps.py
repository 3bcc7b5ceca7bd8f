from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """Who is who: departments, roles, organizations, users."""

    name = "engine.directory"
    label = "directory"
    verbose_name = _("Organizations and people")
