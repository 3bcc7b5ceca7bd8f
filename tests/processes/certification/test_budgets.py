"""List endpoints and the portal section cost a fixed number of queries (DESIGN quality bars),
and two managers issuing the same request at once give one certificate (PostgreSQL)."""
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient

from engine.cases.actions import task_complete
from engine.cases.errors import DomainError
from engine.cases.models import TaskRoute
from engine.directory.models import Department, Membership
from processes.certification.models import Certificate, ServiceRecord
from processes.certification.portal import portal_section
from processes.certification.services.disputes import dispute_file
from processes.certification.services.registry import activity_create, volunteer_register
from processes.certification.services.reports import report_file
from processes.certification.services.requests import request_create
from tests.factories import OrganizationFactory, UserFactory, member, org_user

from .conftest import approved, id_number


def _many(org, manager, volunteer, vol_user, n):
    end = timezone.now() - timedelta(days=1)
    for i in range(n):
        act = activity_create(actor=manager, organization=org, name=f"活动{i}", place="郑州",
                              start_at=end - timedelta(hours=4), end_at=end, person_in_charge="某")
        approved(manager, volunteer, act, 2)
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org)
    task_complete(actor=manager, task_id=TaskRoute.objects.get(reference=case.reference).pk, decision="issue")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/certification/records/", "/api/v1/certification/certificates/",
                                 "/api/v1/certification/requests/", "/api/v1/certification/disputes/",
                                 "/api/v1/certification/me/"])
def test_list_endpoints_have_a_fixed_query_budget(url, org, manager, volunteer, vol_user, django_assert_max_num_queries):
    _many(org, manager, volunteer, vol_user, 8)
    client = APIClient()
    client.force_authenticate(vol_user)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_portal_section_has_a_fixed_query_budget(client, org, manager, volunteer, vol_user,
                                                 django_assert_max_num_queries):
    _many(org, manager, volunteer, vol_user, 10)

    request = RequestFactory().get("/portal/certification/")
    request.user = vol_user
    # 15: the volunteer's own commendations card (seed 二(四)) is one query of its own, inherent
    with django_assert_max_num_queries(15):
        assert "cert-volunteer" in portal_section(request)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_managers_issuing_at_once_give_one_certificate(settings, tmp_path):
    call_command("setup_demo", "--no-demo", verbosity=0)
    settings.CERTIFICATION_DEV_KEY_PATH = tmp_path / "key.pem"
    org = OrganizationFactory()
    m1, m2 = org_user(org, username="race1"), org_user(org, username="race2")
    vol_user = UserFactory(username="race_vol")
    volunteer = volunteer_register(actor=vol_user, user=vol_user, real_name="并发", id_number=id_number(77))
    end = timezone.now() - timedelta(days=1)
    act = activity_create(actor=m1, organization=org, name="活动", place="郑州", start_at=end - timedelta(hours=4),
                          end_at=end, person_in_charge="某")
    approved(m1, volunteer, act, 2)
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org)
    route_id = TaskRoute.objects.get(reference=case.reference).pk
    barrier, outcomes = threading.Barrier(2), []

    def issue(user):
        try:
            barrier.wait()
            task_complete(actor=user, task_id=route_id, decision="issue")
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(u,)) for u in (m1, m2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(outcomes) == ["StateConflict", "ok"]
    assert Certificate.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/workbench/certificates/", "/workbench/certificates/disputes/",
                                 "/certification/register.xlsx"])
def test_workbench_pages_have_a_fixed_query_budget(client, url, org, manager, volunteer, vol_user,
                                                  django_assert_max_num_queries):
    _many(org, manager, volunteer, vol_user, 8)
    for record in ServiceRecord.objects.all():
        dispute_file(actor=vol_user, record=record, claim="少记了")
    for i in range(5):
        report_file(number=f"ZS-2026-00009{i}", reporter_name="某公司", reporter_contact="138", description="核验不符")

    user = member("mca-jinshui", "head", username="mca_budget")  # supervises org's disputes
    Membership.objects.create(user=user, department=Department.objects.get(code="mca"), role="head")  # reports
    client.force_login(user)
    with django_assert_max_num_queries(20):
        res = client.get(url)
    assert res.status_code == 200
    if "disputes" in url:
        body = res.content.decode()
        assert body.count("少记了") == 0 and body.count("/workbench/tasks/case/YY-") == 8
        assert "未找到" in body and "not_found" not in body
