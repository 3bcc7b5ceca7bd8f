import pytest
from rest_framework.test import APIClient

from engine.audit.models import AuditEvent
from engine.directory.models import Organization
from engine.directory.services import responsible_unit
from tests.factories import OrganizationFactory, member

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_supervisor_merges_an_organization_into_its_successor(django_capture_on_commit_callbacks):
    old, new = OrganizationFactory(), OrganizationFactory()
    reviewer = member("mca-jinshui", "reviewer")
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(reviewer).post(
            f"/api/v1/organizations/{old.pk}/end/", {"status": "merged", "successor": new.pk, "reason": "合并"},
            format="json")
    assert response.status_code == 200 and response.json()["status"] == "merged"
    assert responsible_unit(old) == (new, new.supervising_department)  # the stale instance is re-read
    assert AuditEvent.objects.filter(action="organization.end", object_id=str(old.pk)).exists()


def test_refusals_change_nothing():
    org = OrganizationFactory()
    outsider = member("mca-erqi", "staff")
    assert _client(outsider).post(f"/api/v1/organizations/{org.pk}/end/",
                                  {"status": "dissolved", "reason": "x"}, format="json").status_code == 403
    reviewer = member("mca-jinshui", "reviewer")
    missing = _client(reviewer).post(f"/api/v1/organizations/{org.pk}/end/", {"status": "merged", "reason": "x"},
                                     format="json")
    assert missing.status_code == 400
    org.refresh_from_db()
    assert org.status == Organization.Status.ACTIVE


def test_dissolved_without_successor_answers_through_its_supervisor():
    org = OrganizationFactory()
    reviewer = member("mca-jinshui", "head")
    _client(reviewer).post(f"/api/v1/organizations/{org.pk}/end/", {"status": "dissolved", "reason": "注销"},
                           format="json")
    assert responsible_unit(org) == (None, org.supervising_department)


@pytest.mark.parametrize("department, role", [("mca-erqi", "reviewer"), ("mca-erqi", "head"), ("fin-jinshui", "head")])
def test_another_districts_reviewer_may_not_end_an_organization(department, role):
    """D1: only the supervising department (mca-jinshui here) or its parent ends it."""
    org = OrganizationFactory()
    outsider = member(department, role)
    response = _client(outsider).post(f"/api/v1/organizations/{org.pk}/end/",
                                      {"status": "dissolved", "reason": "注销"}, format="json")
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.status == Organization.Status.ACTIVE and org.successor_id is None
    assert not AuditEvent.objects.filter(action="organization.end", object_id=str(org.pk)).exists()


@pytest.mark.parametrize("department", ["mca-jinshui", "mca"])
def test_staff_of_the_supervising_department_may_not_end_an_organization(department):
    """D1: ending is the 民政局 reviewer's or head's decision, of the organization's own district
    or of the city; the staff who prepare cases there may not."""
    org = OrganizationFactory()
    staff = member(department, "staff")
    response = _client(staff).post(f"/api/v1/organizations/{org.pk}/end/",
                                   {"status": "dissolved", "reason": "注销"}, format="json")
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.status == Organization.Status.ACTIVE
    assert not AuditEvent.objects.filter(action="organization.end", object_id=str(org.pk)).exists()


def test_the_supervising_departments_parent_may_end_an_organization():
    org = OrganizationFactory()
    city = member("mca", "reviewer")
    assert org.supervising_department.parent.code == "mca"
    response = _client(city).post(f"/api/v1/organizations/{org.pk}/end/",
                                  {"status": "dissolved", "reason": "注销"}, format="json")
    assert response.status_code == 200
    org.refresh_from_db()
    assert org.status == Organization.Status.DISSOLVED
