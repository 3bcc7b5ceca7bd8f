"""The processes installed, as the engine sees them. The engine names none of them: each
process's ``AppConfig`` sets ``process_name`` (and ``process_label``, the short name in lists)
and provides the hooks it has:

- ``workbench_app()`` — its application in the staff workbench;
- ``dashboard_charts(scope, snapshots)`` and ``dashboard_snapshots(year)`` — its figures on the
  dashboard, and those a periodic task computes for it;
- ``action_labels()`` — the Chinese label of each audit action it writes;
- ``portal_section(request)`` — its part of the organization and volunteer portal;
- ``organization_ended(organization_id)`` — an organization merged or dissolved.

Each process subclasses ``ProcessConfig``, which finds these in the process's modules of the
same names (``views.WorkbenchApp``, ``dashboard.charts``, ``labels.ACTIONS``,
``portal.portal_section``, ``services.organizations.organization_ended``), so the three
processes are wired alike.
"""
from importlib import import_module

from django.apps import AppConfig, apps


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


class ProcessConfig(AppConfig):
    """Base ``AppConfig`` of a process: the hooks above, each read from the process's module."""

    default = False  # not a candidate itself when imported into a process's apps.py
    process_name = ""
    process_label = ""

    def _module(self, name):
        return import_module(f"{self.name}.{name}")

    def workbench_app(self):
        """The process's application in the staff workbench (``views.WorkbenchApp``)."""
        return self._module("views").WorkbenchApp()

    def action_labels(self):
        """Chinese labels of the audit actions the process writes (``labels.ACTIONS``)."""
        return self._module("labels").ACTIONS

    def dashboard_charts(self, scope, snapshots):
        """The process's charts on the dashboard for ``scope`` (``dashboard.charts``)."""
        return self._module("dashboard").charts(scope, snapshots)

    def dashboard_snapshots(self, year):
        """The process's figures the periodic task keeps for ``year`` (``dashboard.snapshots``)."""
        return self._module("dashboard").snapshots(year)

    def portal_section(self, request):
        """The process's part of the portal (``portal.portal_section``)."""
        return self._module("portal").portal_section(request)

    def organization_ended(self, organization_id):
        """An organization merged or dissolved (``services.organizations.organization_ended``)."""
        self._module("services.organizations").organization_ended(organization_id)
