"""The workflow pieces the processes share: the per-person split and its step, the status
condition of gateways, rerouting an open task, and the expert panel's average."""
from decimal import Decimal
from types import SimpleNamespace

import pytest
from viewflow.workflow.status import STATUS

from engine.audit.models import AuditEvent
from engine.cases.actions import assign_route, task_complete, task_reassign, task_release
from engine.cases.errors import StateConflict
from engine.cases.flows import status_is
from engine.cases.models import TaskRoute
from engine.cases.panels import panel_average
from engine.cases.routing import reroute
from engine.cases.selectors import task_inbox, task_queue
from engine.directory.models import Department
from tests.example.flows import ExampleFlow, PanelExampleFlow
from tests.example.models import ExampleCase
from tests.factories import member

pytestmark = pytest.mark.django_db


def _panel_case(people):
    case = ExampleCase.objects.create(
        department=Department.objects.get(code="base-city"), subject="评审", created_by=people["staff"]
    )
    PanelExampleFlow.start.run(case=case)
    return case


def test_split_makes_one_personal_task_per_person(base_people):
    third = member("base-city", "reviewer", username="ex_reviewer3")
    case = _panel_case(base_people)
    routes = list(TaskRoute.objects.filter(reference=case.reference).order_by("owner_id"))
    reviewers = [base_people["reviewer"], base_people["reviewer2"], third]
    assert [r.owner for r in routes] == sorted(reviewers, key=lambda u: u.pk)
    for route in routes:
        assert (route.node, route.role, route.department.code) == ("review", "reviewer", "base-city")
        assert route.personal and route.state == "claimed"
        assert route.task.owner_id == route.owner_id and route.task.status == STATUS.ASSIGNED
        assert route.task.data == {"reviewer": route.owner_id}
        assert list(task_inbox(route.owner)) == [route]
    assert not task_queue(base_people["reviewer"]).exists()


def test_personal_tasks_stay_with_their_person_until_the_head_reassigns(base_people):
    case = _panel_case(base_people)
    route = TaskRoute.objects.get(reference=case.reference, owner=base_people["reviewer"])
    with pytest.raises(StateConflict):
        task_release(actor=base_people["reviewer"], task_id=route.pk)
    newcomer = member("base-city", "reviewer", username="ex_newcomer")
    task_reassign(actor=base_people["head"], task_id=route.pk, user_id=newcomer.pk)
    route.refresh_from_db()
    assert route.owner == newcomer and route.task.owner == newcomer


def test_the_join_waits_for_every_person(base_people):
    case = _panel_case(base_people)
    first, second = TaskRoute.objects.filter(reference=case.reference).order_by("pk")
    task_complete(actor=first.owner, task_id=first.pk, decision="submit")
    case.refresh_from_db()
    assert case.status == "draft" and TaskRoute.objects.open().filter(reference=case.reference).count() == 1
    task_complete(actor=second.owner, task_id=second.pk, decision="submit")
    case.refresh_from_db()
    assert case.status == "review" and not TaskRoute.objects.open().filter(reference=case.reference).exists()


def test_status_is_reads_the_case_of_the_process(example_case):
    activation = SimpleNamespace(flow_class=ExampleFlow, process=SimpleNamespace(pk=example_case.flow_process_id))
    assert status_is("draft")(activation) is True
    assert status_is("review", "draft")(activation) is True
    assert status_is("review", "approved")(activation) is False


def test_reroute_clears_the_holder_sets_the_department_and_writes_one_event(base_people, example_case):
    route = TaskRoute.objects.get(reference=example_case.reference)
    assign_route(route, base_people["staff"])
    route.task.refresh_from_db()
    assert route.task.status == STATUS.ASSIGNED
    erqi = Department.objects.get(code="mca-erqi")
    before = AuditEvent.objects.count()

    reroute(route, erqi, "reviewer", actor=base_people["head"], reason="办理单位变更")

    route.refresh_from_db()
    assert (route.department, route.role, route.owner, route.delegate, route.state) == (
        erqi, "reviewer", None, None, "open")
    assert route.escalation_level == 0 and route.escalated_from is None
    assert route.task.owner is None and route.task.status == STATUS.NEW
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.actor, event.reason) == ("task.reroute", base_people["head"], "办理单位变更")
    assert event.before["department"] == "base-city" and event.before["owner"] == base_people["staff"].pk
    assert event.after == {"department": "mca-erqi", "role": "reviewer", "owner": None}


def test_reroute_as_escalation_counts_the_level_and_restarts_the_due_time(base_people, example_case):
    route = TaskRoute.objects.get(reference=example_case.reference)
    TaskRoute.objects.filter(pk=route.pk).update(overdue_at=route.due_at, escalate_after=route.due_at)
    route.refresh_from_db()
    start = route.due_at
    reroute(route, Department.objects.get(code="mca"), action="task.escalate", escalation=True,
            due_from=start, working_days=5)
    route.refresh_from_db()
    assert route.escalated_from.code == "base-city" and route.escalation_level == 1 and route.role == "staff"
    assert route.due_at > start and route.overdue_at is None and route.escalate_after is None
    assert AuditEvent.objects.filter(reference=example_case.reference, action="task.escalate").count() == 1


def test_panel_average_is_the_mean_rounded_half_up_to_the_cent():
    assert panel_average([Decimal("70"), Decimal("80"), Decimal("81")]) == Decimal("77.00")
    assert panel_average([Decimal("60.00"), Decimal("60.01")]) == Decimal("60.01")  # 60.005 rounds up
    assert panel_average([Decimal("59.99")]) == Decimal("59.99")
