"""Factories shared by every test package."""
import itertools

import factory
from django.contrib.auth import get_user_model

from engine.directory.models import Department, Membership, Organization, OrganizationMember, Role
from engine.directory.validators import uscc_check_char

_org_codes = itertools.count(1)


def make_uscc(n: int, region: str = "410105") -> str:
    first17 = "52" + region + f"MJ{n:07d}"
    return first17 + uscc_check_char(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password("pw-123456")


def member(department_code: str | None, role: str, **kwargs):
    """A user holding ``role`` in the department with ``department_code``."""
    user = UserFactory(**kwargs)
    department = Department.objects.get(code=department_code) if department_code else None
    Membership.objects.create(user=user, department=department, role=role)
    return user


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试志愿服务组织{n}")
    uscc = factory.LazyFunction(lambda: make_uscc(next(_org_codes)))
    registered = True
    supervising_department = factory.LazyFunction(lambda: Department.objects.get(code="mca-jinshui"))


def org_user(organization, **kwargs):
    user = UserFactory(**kwargs)
    OrganizationMember.objects.create(
        organization=organization, user=user, role=OrganizationMember.Role.MANAGER
    )
    return user


__all__ = ["UserFactory", "OrganizationFactory", "member", "org_user", "make_uscc", "Role"]
