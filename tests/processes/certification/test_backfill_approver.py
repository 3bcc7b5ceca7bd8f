"""R12: who approves a back-fill is defined once (``with_backfill_approver``); the portal's
note, the supervising department's list and the service's refusal read that one answer."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engine.cases.errors import NotAllowed
from processes.certification.selectors import backfills_for_department
from processes.certification.services.registry import record_approve, record_enter
from tests.factories import OrganizationFactory, member, org_user

from .conftest import make_activity

pytestmark = pytest.mark.django_db

DEPARTMENT_NOTE = "补录，待金水区民政局审核"
OTHER_MANAGER_NOTE = "补录，待本组织其他负责人审核"


def _back_fill(org, entrant, volunteer, name):
    return record_enter(actor=entrant, volunteer=volunteer, id_number=volunteer.id_number,
                        activity=make_activity(org, entrant, name=name, hours=3), hours=2, submit=True)


def _other_manager_exists(org):
    org_user(org, username="agree_other")


def _only_the_entrant(org):
    pass


def _other_managers_inactive(org):
    org_user(org, username="agree_gone", is_active=False)


@pytest.mark.parametrize(("setup", "department_approves"), [
    (_other_manager_exists, False), (_only_the_entrant, True), (_other_managers_inactive, True)])
def test_portal_department_list_and_service_agree(client, volunteer, setup, department_approves):
    org = OrganizationFactory(name="补录审核组织")  # supervised by 金水区民政局
    entrant = org_user(org, username="agree_entrant")
    setup(org)
    staff = member("mca-jinshui", "staff", username="agree_staff")
    record = _back_fill(org, entrant, volunteer, "补录一致")

    client.force_login(entrant)
    page = client.get("/portal/certification/").content.decode()
    assert f"/certification/portal/records/{record.pk}/approve/" not in page  # never the entrant's (R12)
    assert (DEPARTMENT_NOTE in page, OTHER_MANAGER_NOTE in page) == (department_approves, not department_approves)

    assert (record in backfills_for_department(staff)) is department_approves

    with pytest.raises(NotAllowed) as refused:
        record_approve(actor=entrant, record_id=record.pk)
    assert refused.value.code == "separation_of_duties"
    if department_approves:
        assert record_approve(actor=staff, record_id=record.pk).status == "approved"
    else:
        with pytest.raises(NotAllowed):
            record_approve(actor=staff, record_id=record.pk)


def test_portal_and_department_list_ask_a_fixed_number_of_queries(client, volunteer, django_assert_max_num_queries):
    org = OrganizationFactory(name="补录查询组织")
    entrant = org_user(org, username="count_entrant")
    staff = member("mca-jinshui", "staff", username="count_staff")
    _back_fill(org, entrant, volunteer, "补录甲")
    client.force_login(entrant)
    client.get("/portal/certification/")  # warm the caches a first page fills
    with CaptureQueriesContext(connection) as portal_one:
        client.get("/portal/certification/")
    with CaptureQueriesContext(connection) as list_one:
        list(backfills_for_department(staff))
    for i in range(4):
        _back_fill(org, entrant, volunteer, f"补录乙{i}")
    with django_assert_max_num_queries(len(portal_one)):
        assert client.get("/portal/certification/").content.decode().count(DEPARTMENT_NOTE) == 5
    with django_assert_max_num_queries(len(list_one)):
        assert len(list(backfills_for_department(staff))) == 5
