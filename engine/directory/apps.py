from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """Who is who: departments, roles, organizations, users."""

    name = "engine.directory"
    label = "directory"
    verbose_name = "机构与人员"
