"""Resources by name, so the import service, the Celery task, ``manage.py import_data`` and the
exports reach any process's resource without importing that process. Every process registers
its resources the same way, at the bottom of its ``resources.py`` (loaded at startup by
``apps.py``): ``register("organizations", OrganizationResource)``. A resource built on
``ExportResource`` (a roster, a results sheet) is registered alike but only exported: the
import side (:func:`get`, :func:`names`) does not know it."""
from django.utils.translation import gettext as _

_resources: dict = {}


class UnknownResource(LookupError):
    """No resource is registered under that name; the message lists the ones that are."""


def register(name: str, resource_class):
    """Register ``resource_class`` under ``name``; returns the class so it can decorate.
    Registering another class under a taken name is a programming error."""
    existing = _resources.get(name)
    if existing is not None and existing is not resource_class:
        raise ValueError(f"import resource {name!r} is already registered to {existing!r}")
    _resources[name] = resource_class
    return resource_class


def get(name: str):
    """The resource that imports ``name``; an export-only name is as unknown as any other."""
    resource_class = _resources.get(name)
    if resource_class is None or not resource_class.importable:
        raise UnknownResource(
            _("There is no import type named “%(name)s”; available: %(names)s.")
            % {"name": name, "names": _(", ").join(names()) or "—"}
        )
    return resource_class


def get_export(name: str):
    """The resource that exports ``name``: any registered one."""
    try:
        return _resources[name]
    except KeyError:
        raise UnknownResource(
            _("There is no export type named “%(name)s”; available: %(names)s.")
            % {"name": name, "names": _(", ").join(sorted(_resources)) or "—"}
        ) from None


def names() -> list:
    """The names that can be imported."""
    return sorted(name for name, resource_class in _resources.items() if resource_class.importable)
