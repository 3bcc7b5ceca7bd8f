"""Tasks the flow assigns to a named person: held from the start, never in a queue."""
from datetime import timedelta

import pytest
import time_machine

from engine.cases.actions import task_complete, task_delegate, task_reassign, task_release
from engine.cases.errors import NotAllowed, StateConflict
from engine.cases.models import TaskRoute
from engine.cases.selectors import task_inbox, task_queue
from engine.cases.sla import sweep
from engine.directory.models import Department
from engine.notifications.models import Notification
from tests.example.flows import AssignedExampleFlow
from tests.example.models import ExampleCase
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned_route(base_people):
    case = ExampleCase.objects.create(
        department=Department.objects.get(code="base-city"), subject="指派", created_by=base_people["staff"]
    )
    AssignedExampleFlow.start.run(case=case)
    return TaskRoute.objects.get(reference=case.reference)


def test_assigned_task_is_held_by_its_person_and_not_queued(base_people, assigned_route):
    assert assigned_route.personal and assigned_route.state == "claimed"
    assert assigned_route.owner == base_people["staff"]
    assert list(task_inbox(base_people["staff"])) == [assigned_route]
    assert not task_queue(base_people["head"]).exists()


def test_it_cannot_be_released_but_the_head_can_reassign_it(base_people, assigned_route):
    with pytest.raises(StateConflict):
        task_release(actor=base_people["staff"], task_id=assigned_route.pk)
    other = member("base-city", "staff")
    task_reassign(actor=base_people["head"], task_id=assigned_route.pk, user_id=other.pk)
    assigned_route.refresh_from_db()
    assert assigned_route.owner == other and assigned_route.task.owner == other


def test_overdue_assigned_task_stays_and_heads_are_reminded(base_people, assigned_route):
    with time_machine.travel(assigned_route.due_at + timedelta(days=30)):
        sweep()
        sweep()
    assigned_route.refresh_from_db()
    assert assigned_route.department.code == "base-city" and assigned_route.owner == base_people["staff"]
    assert Notification.objects.filter(kind="task.escalated", user=base_people["head"]).count() == 1


def test_assigned_task_cannot_be_delegated_and_its_page_offers_neither(client, base_people, assigned_route):
    colleague = member("base-city", "staff")
    with pytest.raises(StateConflict):
        task_delegate(actor=base_people["staff"], task_id=assigned_route.pk, user_id=colleague.pk)
    client.force_login(base_people["staff"])
    page = client.get(f"/workbench/tasks/task/{assigned_route.pk}/").content.decode()
    assert 'value="release"' not in page and 'value="delegate"' not in page


def test_a_case_in_conflict_with_someone_keeps_them_off_its_tasks(base_people, assigned_route, monkeypatch):
    staff = base_people["staff"]
    monkeypatch.setattr(ExampleCase, "conflicts_with", lambda self, user: user.pk == staff.pk)
    with pytest.raises(NotAllowed, match="利益冲突"):
        task_complete(actor=staff, task_id=assigned_route.pk, decision="submit")
    other = member("base-city", "staff")
    task_reassign(actor=base_people["head"], task_id=assigned_route.pk, user_id=other.pk)
    with pytest.raises(NotAllowed, match="利益冲突"):
        task_reassign(actor=base_people["head"], task_id=assigned_route.pk, user_id=staff.pk)
