"""The processes installed, as the engine sees them. The engine names none of them: each
process's ``AppConfig`` sets ``process_name`` (and ``process_label``, the short name in lists)
and provides the hooks it has:

- ``workbench_app()`` — its application in the staff workbench;
- ``dashboard_figures()`` — what it adds to the 2025-goal dashboard;
- ``action_labels()`` — the Chinese label of each audit action it writes;
- ``portal_section(request)`` — its part of the organization and volunteer portal;
- ``organization_ended(organization_id)`` — an organization merged or dissolved.
"""
from django.apps import apps


def process_configs():
    return [config for config in apps.get_app_configs() if getattr(config, "process_name", "")]


def process_labels() -> dict:
    """{"incubation": "组织孵化", …} in the order the apps are installed."""
    return {c.process_name: getattr(c, "process_label", c.verbose_name) for c in process_configs()}


def process_config(process_name: str):
    return next((c for c in process_configs() if c.process_name == process_name), None)


def hooks(name: str):
    """Every installed app's ``name`` hook (a bound method), in installation order."""
    return [getattr(config, name) for config in apps.get_app_configs() if callable(getattr(config, name, None))]
