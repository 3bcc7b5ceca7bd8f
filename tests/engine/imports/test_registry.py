"""The resource registry processes use to make their resources importable by name."""
import pytest

from engine.directory.resources import DepartmentResource, OrganizationResource
from engine.imports import registry


def test_directory_resources_are_registered_at_startup():
    assert registry.get("organizations") is OrganizationResource
    assert registry.get("departments") is DepartmentResource
    assert {"departments", "organizations"} <= set(registry.names())


def test_registering_is_idempotent_but_a_name_cannot_be_taken_twice():
    assert registry.register("organizations", OrganizationResource) is OrganizationResource
    with pytest.raises(ValueError, match="already registered"):
        registry.register("organizations", DepartmentResource)


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(registry.UnknownResource, match="没有名为“x”的导入类型，可用：.*departments"):
        registry.get("x")
