import pytest
from django.core.exceptions import ValidationError

from engine.directory.models import Department, District, Organization, Role
from tests.factories import OrganizationFactory, member

pytestmark = pytest.mark.django_db

CITY_BODIES = {"mca", "org", "pub", "cdg", "civ", "fin", "edu", "ftu", "cyl", "wf"}


def test_ten_city_bodies_exist_at_city_level():
    city = Department.objects.filter(level="city").exclude(kind="incubation_base")
    assert set(city.values_list("code", flat=True)) == CITY_BODIES


def test_every_district_has_its_mca_and_fin_under_the_city_body():
    districts = list(District.objects.all())
    assert len(districts) == 16
    for district in districts:
        for kind in ("mca", "fin"):
            dept = Department.objects.get(kind=kind, district=district)
            assert dept.level == "district"
            assert dept.parent.code == kind
            assert list(dept.ancestors()) == [dept.parent]


def test_each_department_takes_the_three_roles():
    for dept in Department.objects.filter(code__in=["mca", "fin", "mca-jinshui", "fin-erqi", "wf"]):
        for role in (Role.STAFF, Role.REVIEWER, Role.HEAD):
            user = member(dept.code, role)
            assert user.memberships.get().department == dept


def test_incubation_base_has_capacity():
    base = Department.objects.get(code="base-city")
    assert base.kind == "incubation_base" and base.capacity > 0


def test_invalid_uscc_on_organization_is_refused():
    org = OrganizationFactory.build(uscc="91350100M000100Y44")
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert "统一社会信用代码校验位错误" in str(exc.value.message_dict["uscc"])


def test_registered_organization_needs_uscc_unregistered_does_not():
    org = OrganizationFactory.build(uscc=None, registered=True)
    with pytest.raises(ValidationError):
        org.full_clean()
    OrganizationFactory.build(uscc=None, registered=False, name="尚未登记的服务队").full_clean()
    assert Organization.objects.count() == 0
