"""A recruitment is a case like every other (seed 二(一), D1–D4): a reference number, one task
(select and close) in the organization's supervising department's queue handed to the
organization's managers, due when the first slot starts; closing finishes it, cancelling and
the organization's end close it; the history is the case's audit trail."""
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient
from viewflow.workflow.status import PROCESS

from engine.audit.models import AuditEvent
from engine.cases.consistency import find_mismatches
from engine.cases.errors import NotFound
from engine.cases.models import TaskRoute
from engine.directory.models import Organization, OrganizationMember, Role
from engine.directory.services import organization_end
from engine.notifications import reminders
from engine.notifications.models import Notification
from processes.recruitment.models import Recruitment
from processes.recruitment.services.recruitments import recruitment_cancel, recruitment_close
from tests.factories import member, org_user

from .conftest import coming_activity, publish

pytestmark = pytest.mark.django_db


def _route(recruitment):
    return TaskRoute.objects.get(reference=recruitment.reference)


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_publishing_opens_a_case_with_its_task_for_the_organization(recruitment, org, manager, activity):
    assert recruitment.reference.startswith("ZP-")
    route = _route(recruitment)
    assert route.process_name == "recruitment" and route.node == "select" and route.role == Role.STAFF
    assert route.department == org.supervising_department == recruitment.department
    assert route.owner == manager  # handed to the organization's manager (R1)
    assert route.due_at == activity.start_at  # selection is due when the first slot starts
    assert recruitment.title in route.display_case_title
    assert Notification.objects.filter(user=manager, kind="recruitment.task", reference=recruitment.reference).exists()
    assert AuditEvent.objects.filter(action="recruitment.publish", reference=recruitment.reference).exists()
    assert find_mismatches() == []


def test_the_api_names_the_reference(recruitment, manager):
    answer = _api(manager).get(f"/api/v1/recruitment/recruitments/{recruitment.pk}/")
    assert answer.status_code == 200 and answer.json()["reference"] == recruitment.reference


def test_an_emergency_recruitment_is_due_when_its_answer_window_ends(manager, activity):
    emergency = publish(manager, activity, kind=Recruitment.Kind.EMERGENCY)
    assert _route(emergency).due_at == emergency.answer_by < activity.start_at


def test_closing_in_the_portal_finishes_the_task(recruitment, manager):
    recruitment_close(actor=manager, recruitment_id=recruitment.pk)
    route = _route(recruitment)
    assert route.state == TaskRoute.State.DONE and route.decision == "close" and route.completed_by == manager
    recruitment.refresh_from_db()
    assert recruitment.status == Recruitment.Status.CLOSED and recruitment.flow_process.status == PROCESS.DONE
    event = AuditEvent.objects.get(action="recruitment.close", reference=recruitment.reference)
    assert event.before == {"status": "open", "task": route.pk}
    assert find_mismatches() == []


def test_closing_through_the_tasks_api(recruitment, manager):
    answer = _api(manager).post(f"/api/v1/tasks/{_route(recruitment).pk}/complete/",
                                {"decision": "close", "reason": "", "data": {}}, format="json")
    assert answer.status_code == 200, answer.content
    recruitment.refresh_from_db()
    assert recruitment.status == Recruitment.Status.CLOSED


def test_another_manager_takes_the_task_over_when_closing(recruitment, org):
    other = org_user(org, username="rc_mgr2")
    answer = _api(other).post(f"/api/v1/recruitment/recruitments/{recruitment.pk}/close/", {}, format="json")
    assert answer.status_code == 200, answer.content
    assert _route(recruitment).completed_by == other
    assert AuditEvent.objects.filter(action="task.claim", reference=recruitment.reference).exists()


def test_department_staff_and_plain_members_do_not_close_it(recruitment, org):
    staff = member(org.supervising_department.code, Role.STAFF)
    answer = _api(staff).post(f"/api/v1/tasks/{_route(recruitment).pk}/complete/",
                              {"decision": "close", "reason": "", "data": {}}, format="json")
    assert answer.status_code == 403
    plain = org_user(org, username="rc_member")
    OrganizationMember.objects.filter(user=plain).update(role=OrganizationMember.Role.MEMBER)
    with pytest.raises(NotFound):
        recruitment_close(actor=plain, recruitment_id=recruitment.pk)
    recruitment.refresh_from_db()
    assert recruitment.status == Recruitment.Status.OPEN and _route(recruitment).is_open


def test_closing_twice_is_a_conflict_and_changes_nothing(recruitment, manager):
    recruitment_close(actor=manager, recruitment_id=recruitment.pk)
    answer = _api(manager).post(f"/api/v1/recruitment/recruitments/{recruitment.pk}/close/", {}, format="json")
    assert answer.status_code == 409
    assert AuditEvent.objects.filter(action="recruitment.close", reference=recruitment.reference).count() == 1


def test_cancelling_closes_the_task(recruitment, manager):
    recruitment_cancel(actor=manager, recruitment_id=recruitment.pk, reason="暴雨预警解除")
    assert _route(recruitment).state == TaskRoute.State.CANCELLED
    recruitment.refresh_from_db()
    assert recruitment.status == Recruitment.Status.CANCELLED
    assert recruitment.flow_process.status == PROCESS.CANCELED
    assert find_mismatches() == []


def test_the_organizations_end_closes_the_recruitment_and_its_task(recruitment, org,
                                                                  django_capture_on_commit_callbacks):
    head = member(org.supervising_department.code, Role.HEAD)
    with django_capture_on_commit_callbacks(execute=True):
        organization_end(actor=head, organization=org, status=Organization.Status.DISSOLVED, reason="注销")
    recruitment.refresh_from_db()
    assert recruitment.status == Recruitment.Status.CLOSED
    assert _route(recruitment).state == TaskRoute.State.CANCELLED
    assert AuditEvent.objects.filter(action="recruitment.close", reference=recruitment.reference, actor=None).exists()


def test_the_department_sees_the_case_page(recruitment, org, client):
    client.force_login(member(org.supervising_department.code, Role.STAFF))
    page = client.get(recruitment.get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200 and recruitment.reference in text and recruitment.title in text



def test_the_managers_are_reminded_to_select_before_the_first_slot(recruitment, manager):
    due = _route(recruitment).due_at
    with time_machine.travel(due - timedelta(hours=2)):
        assert reminders.sweep() == 1
        assert reminders.sweep() == 0
    sent = Notification.objects.get(kind="reminder.recruitment")
    assert sent.user == manager and sent.reference == recruitment.reference and recruitment.title in sent.title
    recruitment_close(actor=manager, recruitment_id=recruitment.pk)
    assert not [d for d in reminders.due(due - timedelta(hours=1)) if d.kind == "reminder.recruitment"]  # closed


def test_the_workbench_list_links_the_case_page_for_its_department_only(recruitment, org, client):
    client.force_login(member(org.supervising_department.code, Role.STAFF))
    page = client.get("/workbench/recruitments/", {"q": recruitment.reference}).content.decode()
    assert f'href="{recruitment.get_absolute_url()}"' in page
    client.force_login(member("mca-erqi", Role.STAFF))
    page = client.get("/workbench/recruitments/").content.decode()
    assert recruitment.reference in page and f'href="{recruitment.get_absolute_url()}"' not in page


def test_a_recruitment_for_an_activity_under_way_is_due_now_not_in_the_past(org, manager):
    started = coming_activity(org, manager, name="防汛值守（进行中）", days=-0.1)
    before = timezone.now()
    under_way = publish(manager, started)
    route = _route(under_way)
    assert route.due_at >= before and not route.due_provisional
