"""The processes installed, as the engine sees them. The engine names none of them: each
process's ``AppConfig`` sets ``process_name`` (and ``process_label``, the short name in lists)
and provides the hooks it has:

- ``workbench_app()`` — its application in the staff workbench;
- ``dashboard_charts(scope, snapshots)`` and ``dashboard_snapshots(year)`` — its figures on the
  dashboard, and those a periodic task computes for it;
- ``action_labels()`` — the Chinese label of each audit action it writes;
- ``portal_section(request)`` — its part of the organization and volunteer portal, a page of
  its own there: ``portal_title()`` (``portal.TITLE``) names it in the portal's menu and
  ``portal_applies(user)`` (``portal.portal_applies``, always when absent) says whether the
  menu lists it for this user;
- ``organization_ended(organization_id)`` — an organization merged or dissolved.

Each process subclasses ``ProcessConfig``, which finds these in the process's modules of the
same names (``views.WorkbenchApp``, ``dashboard.charts``, ``labels.ACTIONS``,
``portal.portal_section``, ``services.organizations.organization_ended``), so the three
processes are wired alike.
"""
from functools import lru_cache
from importlib import import_module

from django.apps import AppConfig, apps


def process_configs():
    return [config for config in apps.get_app_configs() if getattr(config, "process_name", "")]


def process_labels() -> dict:
    """{"incubation": "组织孵化", …} in the order the apps are installed."""
    return {c.process_name: getattr(c, "process_label", c.verbose_name) for c in process_configs()}


def process_config(process_name: str):
    return next((c for c in process_configs() if c.process_name == process_name), None)


def process_label(process_name: str) -> str:
    """The process's name in the active language ("组织孵化" / "Organization incubation"); the
    stored code itself for a process no longer installed."""
    config = process_config(process_name)
    return str(getattr(config, "process_label", "") or process_name) if config else process_name


@lru_cache(maxsize=None)
def _step_titles(process_name: str) -> dict:
    config = process_config(process_name)
    return config.step_titles() if isinstance(config, ProcessConfig) else {}


def step_title(process_name: str, node: str, stored: str = "") -> str:
    """D7: the title of step ``node`` of ``process_name`` in the reader's language, read from
    the flow definition (a lookup in code, no query); ``stored``, the title written with the
    task in the language active then, when the flow no longer has that step."""
    title = _step_titles(process_name).get(node)
    return str(title) if title else stored


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

    def step_titles(self) -> dict:
        """{node name: title (lazy, translated when shown)} of every human step of the
        process's flows (``flows`` module); a name two flows share keeps the first title."""
        titles = {}
        for flow_class in vars(self._module("flows")).values():
            if getattr(flow_class, "process_name", None) != self.process_name or not hasattr(flow_class, "instance"):
                continue
            for node in flow_class.instance.nodes():
                title = getattr(node, "step_title", None)
                if title:
                    titles.setdefault(node.name, title)
        return titles

    def dashboard_charts(self, scope, snapshots):
        """The process's charts on the dashboard for ``scope`` (``dashboard.charts``)."""
        return self._module("dashboard").charts(scope, snapshots)

    def dashboard_snapshots(self, year):
        """The process's figures the periodic task keeps for ``year`` (``dashboard.snapshots``)."""
        return self._module("dashboard").snapshots(year)

    def portal_section(self, request):
        """The process's part of the portal (``portal.portal_section``)."""
        return self._module("portal").portal_section(request)

    def portal_title(self):
        """The process's page in the portal's menu (``portal.TITLE``, else the process's label)."""
        return getattr(self._module("portal"), "TITLE", self.process_label)

    def portal_applies(self, user) -> bool:
        """Whether the portal's menu lists the process's page for ``user`` (``portal.portal_applies``)."""
        applies = getattr(self._module("portal"), "portal_applies", None)
        return applies(user) if applies else True

    def organization_ended(self, organization_id):
        """An organization merged or dissolved (``services.organizations.organization_ended``)."""
        self._module("services.organizations").organization_ended(organization_id)
