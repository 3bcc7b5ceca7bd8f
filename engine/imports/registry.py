"""Resources by name, so the import service, the Celery task and ``manage.py import_data``
reach any process's resource without importing that process. Processes register theirs in
their AppConfig.ready() (or a module it imports): ``register("organizations", OrganizationResource)``."""
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
    try:
        return _resources[name]
    except KeyError:
        raise UnknownResource(
            _("没有名为“%(name)s”的导入类型，可用：%(names)s。")
            % {"name": name, "names": "、".join(names()) or "—"}
        ) from None


def names() -> list:
    return sorted(_resources)
