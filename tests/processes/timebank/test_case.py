"""A redemption is a case like every other (T6, D1–D4): its answer is a task in the provider's
supervising department's queue, handed to the provider's managers, due on the working-day
calendar; the answer, the cancellation and the expiry close it; the volunteer may not answer
their own redemption (D3); a provider that ends hands it on (R9)."""
from datetime import timedelta

import pytest
import time_machine
from rest_framework.test import APIClient
from viewflow.workflow.status import PROCESS

from engine.audit.models import AuditEvent
from engine.cases.errors import NotAllowed
from engine.cases.models import TaskRoute
from engine.cases.sla import flag_overdue
from engine.directory.models import Department, Organization, OrganizationMember, Role
from engine.directory.services import organization_end
from engine.notifications import reminders
from engine.notifications.models import Notification
from processes.timebank.models import Redemption
from processes.timebank.services.exchange import (
    redeem,
    redemption_cancel,
    redemption_confirm,
    redemption_decline,
)
from processes.timebank.tasks import expire_redemptions
from tests.factories import OrganizationFactory, member, org_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def redemption(credited, vol_user, service, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return redeem(actor=vol_user, service_id=service.pk, note="周六上午")


def _route(redemption):
    return TaskRoute.objects.get(reference=redemption.reference)


def _complete(user, route, decision, reason=""):
    client = APIClient()
    client.force_authenticate(user)
    return client.post(f"/api/v1/tasks/{route.pk}/complete/", {"decision": decision, "reason": reason, "data": {}}, format="json")


def test_a_redemption_waits_as_a_task_handed_to_the_provider(redemption, provider, provider_manager):
    route = _route(redemption)
    assert route.process_name == "timebank" and route.node == "confirm"
    assert route.department == provider.supervising_department == redemption.department
    assert route.role == Role.STAFF
    assert route.owner == provider_manager and route.state == TaskRoute.State.CLAIMED
    assert route.due_at == redemption.due_at  # T6: the time bank's own answer time
    assert redemption.service.title in route.display_case_title
    assert Notification.objects.filter(user=provider_manager, reference=redemption.reference,
                                       kind="timebank.task").exists()


def test_confirming_in_the_portal_finishes_the_task(redemption, provider_manager):
    redemption_confirm(actor=provider_manager, reference=redemption.reference, reason="已上门服务")
    route = _route(redemption)
    assert route.state == TaskRoute.State.DONE and route.decision == "confirm"
    assert route.completed_by == provider_manager
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.DELIVERED
    assert redemption.flow_process.status == PROCESS.DONE
    event = AuditEvent.objects.get(action="timebank.redemption.confirm", reference=redemption.reference)
    assert event.after["status"] == "delivered" and event.before["task"] == route.pk


def test_another_manager_of_the_provider_takes_the_task_over(redemption, provider):
    other = org_user(provider, username="provider_mgr2")
    redemption_decline(actor=other, reference=redemption.reference, reason="本周无人手")
    route = _route(redemption)
    assert route.completed_by == other and route.decision == "decline"
    assert AuditEvent.objects.filter(action="task.claim", reference=redemption.reference).exists()


def test_the_workbench_task_is_answered_through_the_tasks_api(redemption, provider_manager):
    route = _route(redemption)
    assert _complete(provider_manager, route, "decline").status_code == 400  # a refusal needs its reason
    answer = _complete(provider_manager, route, "decline", "本周无人手")
    assert answer.status_code == 200, answer.content
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.DECLINED
    assert redemption.volunteer.time_account.balance == 6.5


def test_department_staff_do_not_answer_for_an_active_provider(redemption, provider):
    staff = member(provider.supervising_department.code, Role.STAFF)
    answer = _complete(staff, _route(redemption), "confirm")
    assert answer.status_code == 403
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.HELD


def test_the_volunteer_may_not_answer_their_own_redemption(redemption, provider, vol_user):
    """D3: a volunteer who also manages the provider is the case's party."""
    OrganizationMember.objects.create(organization=provider, user=vol_user, role=OrganizationMember.Role.MANAGER)
    with pytest.raises(NotAllowed) as refused:
        redemption_confirm(actor=vol_user, reference=redemption.reference)
    assert refused.value.code == "conflict_of_interest"
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.HELD and _route(redemption).is_open


def test_cancelling_closes_the_task(redemption, vol_user):
    redemption_cancel(actor=vol_user, reference=redemption.reference)
    route = _route(redemption)
    assert route.state == TaskRoute.State.CANCELLED
    redemption.refresh_from_db()
    assert redemption.flow_process.status == PROCESS.CANCELED


def test_overdue_the_head_is_told_and_at_the_due_time_it_expires(redemption, provider):
    head = member(provider.supervising_department.code, Role.HEAD)
    with time_machine.travel(redemption.due_at + timedelta(minutes=1)):
        assert flag_overdue() == 1
        assert expire_redemptions() == 1
    assert Notification.objects.filter(user=head, kind="task.overdue", reference=redemption.reference).exists()
    assert _route(redemption).state == TaskRoute.State.CANCELLED
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.EXPIRED


def test_a_merged_provider_hands_the_redemption_to_its_successor(redemption, provider, provider_manager, vol_user,
                                                                 django_capture_on_commit_callbacks):
    successor = OrganizationFactory(name="金水区社区综合服务中心",
                                    supervising_department=Department.objects.get(code="mca-erqi"))
    successor_manager = org_user(successor, username="successor_mgr")
    second = org_user(successor, username="successor_mgr2")
    supervisor = member(provider.supervising_department.code, Role.HEAD)
    with django_capture_on_commit_callbacks(execute=True):
        organization_end(actor=supervisor, organization=provider, status=Organization.Status.MERGED,
                         successor=successor, reason="合并")
    route = _route(redemption)
    assert route.owner == successor_manager and route.department == successor.supervising_department
    assert route.due_at == redemption.due_at
    redemption.refresh_from_db()
    assert redemption.handler == successor and redemption.visible_to(second)
    # the successor's portal lists it and reminds its managers; the old provider no longer answers
    api = APIClient()
    api.force_authenticate(second)
    assert redemption.reference in api.get("/api/v1/timebank/redemptions/").content.decode()
    with pytest.raises(NotAllowed):
        redemption_confirm(actor=provider_manager, reference=redemption.reference)
    with time_machine.travel(redemption.due_at - timedelta(hours=2)):
        assert reminders.sweep() == 2
    assert set(Notification.objects.filter(kind="reminder.redemption").values_list("user__username", flat=True)) == {
        "successor_mgr", "successor_mgr2"}
    redemption_confirm(actor=second, reference=redemption.reference)  # another manager takes it over
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.DELIVERED and _route(redemption).completed_by == second
    assert AuditEvent.objects.filter(action="timebank.redemption.reroute", reference=redemption.reference).count() == 1


def test_the_department_sees_the_case_page_and_the_parties_its_status(redemption, provider, provider_manager, vol_user,
                                                                      client):
    staff = member(provider.supervising_department.code, Role.STAFF)
    client.force_login(staff)
    page = client.get(redemption.get_absolute_url())
    assert page.status_code == 200 and redemption.reference in page.content.decode()
    api = APIClient()
    for user, seen in ((provider_manager, 200), (vol_user, 200), (member("mca-erqi", Role.STAFF), 404)):
        api.force_authenticate(user)
        assert api.get(f"/api/v1/cases/{redemption.reference}/").status_code == seen


def test_the_providers_managers_are_reminded_once_before_the_answer_is_due(redemption, provider, provider_manager):
    plain = org_user(provider, username="provider_member")
    OrganizationMember.objects.filter(user=plain).update(role=OrganizationMember.Role.MEMBER)
    with time_machine.travel(redemption.due_at - timedelta(hours=30)):
        assert reminders.sweep() == 0  # not yet within the lead time
    with time_machine.travel(redemption.due_at - timedelta(hours=2)):
        assert reminders.sweep() == 1
        assert reminders.sweep() == 0
    sent = Notification.objects.get(kind="reminder.redemption")
    assert sent.user == provider_manager and sent.reference == redemption.reference
    assert "上门理发" in sent.body


def test_the_workbench_list_links_the_case_page(redemption, provider, client):
    client.force_login(member(provider.supervising_department.code, Role.STAFF))
    page = client.get("/workbench/timebank/").content.decode()
    assert f'href="{redemption.get_absolute_url()}"' in page
    assert client.get(redemption.get_absolute_url()).status_code == 200
