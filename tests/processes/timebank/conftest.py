from decimal import Decimal

import pytest

from processes.timebank.services.exchange import service_publish
from tests.factories import OrganizationFactory, org_user
from tests.processes.certification.conftest import (  # noqa: F401 — fixtures shared with certification
    activity,
    approved,
    id_number,
    make_activity,
    manager,
    manager2,
    org,
    signed,
    signing_key,
    vol_user,
    volunteer,
)


@pytest.fixture
def credited(manager, volunteer, activity, django_capture_on_commit_callbacks):  # noqa: F811
    """An approved 6.5-hour sign-in record, credited to the volunteer once the approval commits (T4)."""
    with django_capture_on_commit_callbacks(execute=True):
        return approved(manager, volunteer, activity, Decimal("6.5"))


@pytest.fixture
def provider(db):
    return OrganizationFactory(name="金水区文化路社区服务站")


@pytest.fixture
def provider_manager(provider):
    return org_user(provider, username="provider_mgr", full_name="社区主任")


@pytest.fixture
def service(provider, provider_manager):
    return service_publish(actor=provider_manager, provider_id=provider.pk, title="上门理发", hours="2",
                           description="为老人上门理发一次")
