from datetime import timedelta

import pytest
from django.utils import timezone

from processes.certification.services.registry import activity_create, volunteer_register
from processes.recruitment.services.recruitments import recruitment_publish
from tests.factories import OrganizationFactory, UserFactory, org_user
from tests.processes.certification.conftest import id_number


@pytest.fixture
def org(db):
    return OrganizationFactory(name="金水区应急志愿服务队")


@pytest.fixture
def manager(org):
    return org_user(org, username="rc_mgr", full_name="招募负责人")


def person(n, *, birth="19900307", district=None):
    """A user with a volunteer record of their own."""
    user = UserFactory(username=f"rc_vol{n}", full_name=f"志愿者{n}")
    volunteer_register(actor=user, user=user, real_name=f"志愿者{n}", id_number=id_number(n, birth=birth),
                       phone=f"138000{n:05d}", district=district)
    return user


@pytest.fixture
def vol_user(db):
    return person(1)


def coming_activity(org, manager, *, name="防汛值守", days=2, hours=8, category="service"):
    start = (timezone.now() + timedelta(days=days)).replace(microsecond=0)
    return activity_create(actor=manager, organization=org, name=name, place="金水区", start_at=start,
                           end_at=start + timedelta(hours=hours), person_in_charge="负责人", category=category)


@pytest.fixture
def activity(org, manager):
    return coming_activity(org, manager)


def publish(manager, activity, *, places=2, slots=None, **kw):
    slots = slots or [{"start_at": activity.start_at, "end_at": activity.end_at, "places": places}]
    kw.setdefault("title", "招募防汛志愿者")
    kw.setdefault("place", "金水区北三环")
    return recruitment_publish(actor=manager, activity=activity, slots=slots, **kw)


@pytest.fixture
def recruitment(manager, activity):
    return publish(manager, activity)
