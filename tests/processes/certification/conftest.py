from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from engine.directory.validators import id_check_char
from processes.certification.services.attendance import sign_in, sign_out
from processes.certification.services.registry import activity_create, record_approve, volunteer_register
from tests.factories import OrganizationFactory, UserFactory, member, org_user


def id_number(serial: int, birth="19900307", region="410105") -> str:
    first17 = f"{region}{birth}{serial:03d}"
    return first17 + id_check_char(first17)


@pytest.fixture(autouse=True)
def signing_key(tmp_path_factory, settings):
    """A per-session development key outside the repository."""
    settings.CERTIFICATION_DEV_KEY_PATH = tmp_path_factory.getbasetemp() / "cert-dev-key.pem"


@pytest.fixture
def org(db):
    return OrganizationFactory(name="测试阳光志愿者协会", contact_person="钱老师", contact_phone="0371-12345678")


@pytest.fixture
def manager(org):
    return org_user(org, username="org_mgr", full_name="组织负责人")


@pytest.fixture
def manager2(org):
    return org_user(org, username="org_mgr2", full_name="组织负责人二")


@pytest.fixture
def vol_user(db):
    return UserFactory(username="vol", full_name="李小萌")


@pytest.fixture
def volunteer(vol_user):
    return volunteer_register(actor=vol_user, user=vol_user, real_name="李小萌", id_number=id_number(1),
                              phone="13812345678")


@pytest.fixture
def activity(org, manager):
    end = timezone.now() - timedelta(days=1)
    return activity_create(actor=manager, organization=org, name="社区敬老服务", place="金水区文化路",
                           start_at=end - timedelta(hours=8), end_at=end, person_in_charge="钱老师",
                           content="陪伴老人")


def make_activity(org, manager, name="活动", hours=8, days_ago=1):
    end = timezone.now() - timedelta(days=days_ago)
    return activity_create(actor=manager, organization=org, name=name, place="郑州",
                           start_at=end - timedelta(hours=hours), end_at=end, person_in_charge="负责人")


def signed(volunteer, activity, hours, by=None):
    """A sign-in record made the only way there is (R12): the volunteer (or, without an
    account, ``by``, a manager on the spot) signs in at the start and out ``hours`` later;
    the server stamps both. Returns the pending record."""
    actor = volunteer.user or by
    with time_machine.travel(activity.start_at, tick=False):
        sign_in(actor=actor, volunteer=volunteer, activity=activity)
    with time_machine.travel(activity.start_at + timedelta(hours=float(Decimal(str(hours)))), tick=False):
        return sign_out(actor=actor, volunteer=volunteer, activity=activity)


def approved(manager, volunteer, activity, hours):
    """A sign-in record approved by a manager of the organization."""
    return record_approve(actor=manager, record_id=signed(volunteer, activity, hours, by=manager).pk)


@pytest.fixture
def approved_record(volunteer, activity, manager):
    return approved(manager, volunteer, activity, Decimal("6.5"))


@pytest.fixture
def mca_jinshui():
    return {
        "staff": member("mca-jinshui", "staff", username="js_staff"),
        "reviewer": member("mca-jinshui", "reviewer", username="js_reviewer"),
    }


@pytest.fixture
def mca_city():
    return {
        "staff": member("mca", "staff", username="mca_s"),
        "reviewer": member("mca", "reviewer", username="mca_r"),
    }


@pytest.fixture(autouse=True)
def fresh_throttle_history():
    """The identity throttle keeps its history in the cache; user ids repeat between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def entered_volunteer(org, manager):
    """A volunteer the organization entered with consent (R4): one it already deals with."""
    return volunteer_register(actor=manager, real_name="王录入", id_number=id_number(77), consent=True,
                              organization=org)
