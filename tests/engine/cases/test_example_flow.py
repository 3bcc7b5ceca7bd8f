"""The engine end to end on a small flow: routing, actions, rights, D3, audit, references."""
import pytest

from engine.audit.models import AuditEvent
from engine.cases.actions import (
    task_claim,
    task_complete,
    task_delegate,
    task_reassign,
    task_release,
    task_resolve,
)
from engine.cases.errors import NotAllowed, RuleViolation, StateConflict
from engine.cases.models import TaskRoute
from engine.cases.selectors import task_archive, task_inbox, task_queue
from engine.cases.services import case_step
from tests.example.services import example_approve, example_create
from tests.factories import member

pytestmark = pytest.mark.django_db


def open_route(case, node):
    return TaskRoute.objects.get(reference=case.reference, node=node, state__in=["open", "claimed"])


def test_reference_numbers_are_readable_and_sequential(base_people, example_case):
    second = example_create(actor=base_people["staff"], department=example_case.department, subject="二")
    year = example_case.created_at.year
    assert example_case.reference == f"EX-{year}-000001"
    assert second.reference == f"EX-{year}-000002"


def test_first_task_is_routed_to_department_and_role_with_due_time(example_case):
    route = open_route(example_case, "prepare")
    assert (route.department.code, route.role, route.state) == ("base-city", "staff", "open")
    assert route.sla_working_days == 3  # from WORKFLOW_SLA_WORKING_DAYS["example.prepare"]
    assert route.due_at > route.created_at


def test_happy_path_with_queues_inbox_archive_and_audit(base_people, example_case):
    staff, reviewer = base_people["staff"], base_people["reviewer"]
    route = open_route(example_case, "prepare")
    assert list(task_queue(staff)) == [route]
    task_claim(actor=staff, task_id=route.pk)
    assert list(task_inbox(staff)) == [route] and not task_queue(staff).exists()
    task_complete(actor=staff, task_id=route.pk, decision="submit")
    example_case.refresh_from_db()
    assert example_case.status == "review"
    assert list(task_archive(staff)) == [TaskRoute.objects.get(pk=route.pk)]

    approve = open_route(example_case, "approve")
    assert approve.role == "reviewer" and approve in task_queue(reviewer)
    task_complete(actor=reviewer, task_id=approve.pk, decision="approve")  # claims on the way
    example_case.refresh_from_db()
    assert example_case.status == "approved"
    assert not TaskRoute.objects.open().filter(reference=example_case.reference).exists()
    actions = list(AuditEvent.objects.filter(reference=example_case.reference).values_list("action", flat=True))
    assert actions == [
        "example.create", "task.claim", "example.prepare.submit", "example.approve.approve",
    ]
    # completing a task still in the queue claims it within the step: one event says both
    approved = AuditEvent.objects.get(reference=example_case.reference, action="example.approve.approve")
    assert approved.actor == reviewer and approved.after["claimed"] is True
    last = AuditEvent.objects.filter(reference=example_case.reference).last()
    assert (last.before["status"], last.after["status"], last.actor_id) == ("review", "approved", reviewer.pk)


def test_send_back_needs_reason_and_loops(base_people, example_case):
    staff, reviewer = base_people["staff"], base_people["reviewer"]
    task_complete(actor=staff, task_id=open_route(example_case, "prepare").pk, decision="submit")
    approve = open_route(example_case, "approve")
    with pytest.raises(RuleViolation):
        task_complete(actor=reviewer, task_id=approve.pk, decision="send_back", reason=" ")
    task_complete(actor=reviewer, task_id=approve.pk, decision="send_back", reason="缺少附件")
    example_case.refresh_from_db()
    assert example_case.status == "draft"
    assert open_route(example_case, "prepare").state == "open"
    assert AuditEvent.objects.filter(reference=example_case.reference).last().reason == "缺少附件"


def test_wrong_role_wrong_district_and_unknown_decision_are_refused(base_people, example_case):
    route = open_route(example_case, "prepare")
    with pytest.raises(NotAllowed):
        task_claim(actor=base_people["reviewer"], task_id=route.pk)
    with pytest.raises(NotAllowed):
        task_claim(actor=base_people["other_district"], task_id=route.pk)
    assert not task_queue(base_people["other_district"]).exists()
    with pytest.raises(RuleViolation):
        task_complete(actor=base_people["staff"], task_id=route.pk, decision="approve")
    route.refresh_from_db()
    assert route.state == "open"


def test_second_claim_conflicts(base_people, example_case):
    route = open_route(example_case, "approve") if False else open_route(example_case, "prepare")
    other_staff = member("base-city", "staff")
    task_claim(actor=base_people["staff"], task_id=route.pk)
    with pytest.raises(StateConflict):
        task_claim(actor=other_staff, task_id=route.pk)


def test_separation_of_duties_d3(base_people, example_case):
    """A head who prepared the case may not approve it."""
    head = base_people["head"]
    task_complete(actor=head, task_id=open_route(example_case, "prepare").pk, decision="submit")
    approve = open_route(example_case, "approve")
    with pytest.raises(NotAllowed, match="职责分离"):
        task_claim(actor=head, task_id=approve.pk)
    with pytest.raises(NotAllowed, match="职责分离"):
        task_complete(actor=head, task_id=approve.pk, decision="approve")
    example_case.refresh_from_db()
    assert example_case.status == "review"


def test_release_reassign_delegate_resolve(base_people, example_case):
    staff, head, reviewer, reviewer2 = (base_people[k] for k in ("staff", "head", "reviewer", "reviewer2"))
    task_complete(actor=staff, task_id=open_route(example_case, "prepare").pk, decision="submit")
    route = open_route(example_case, "approve")
    task_claim(actor=reviewer, task_id=route.pk)
    with pytest.raises(NotAllowed):
        task_release(actor=reviewer2, task_id=route.pk)
    task_release(actor=reviewer, task_id=route.pk)
    route.refresh_from_db()
    assert route.state == "open" and route.owner is None

    with pytest.raises(NotAllowed):
        task_reassign(actor=reviewer, task_id=route.pk, user_id=reviewer2.pk)
    with pytest.raises(RuleViolation):  # staff lacks the reviewer role
        task_reassign(actor=head, task_id=route.pk, user_id=staff.pk)
    task_reassign(actor=head, task_id=route.pk, user_id=reviewer.pk)
    route.refresh_from_db()
    assert route.owner == reviewer

    task_delegate(actor=reviewer, task_id=route.pk, user_id=reviewer2.pk)
    assert route in task_inbox(reviewer2)
    with pytest.raises(NotAllowed):  # the delegate hands back; the owner completes
        task_complete(actor=reviewer2, task_id=route.pk, decision="approve")
    with pytest.raises(StateConflict):  # ... once it is back
        task_complete(actor=reviewer, task_id=route.pk, decision="approve")

    with pytest.raises(NotAllowed):  # not through a process's own service either
        example_approve(actor=reviewer2, task_id=route.pk)
    task_resolve(actor=reviewer2, task_id=route.pk)
    route.refresh_from_db()
    assert route.owner == reviewer and route.delegate is None
    task_complete(actor=reviewer, task_id=route.pk, decision="approve")
    example_case.refresh_from_db()
    assert example_case.status == "approved"


def test_status_is_protected(example_case):
    with pytest.raises(AttributeError):
        example_case.status = "approved"


def test_full_clean_works_on_a_case_with_a_protected_status(example_case):
    example_case.full_clean()
    assert example_case.status == "draft"


def test_a_refused_transition_is_a_conflict_and_changes_nothing(base_people, example_case):
    route = open_route(example_case, "prepare")
    with pytest.raises(StateConflict, match="草稿"):
        with case_step(task_id=route.pk, actor=base_people["staff"], decision="approve") as step:
            step.case.approve()  # draft cannot be approved
    route.refresh_from_db()
    example_case.refresh_from_db()
    assert (route.state, example_case.status) == ("open", "draft")
    assert not AuditEvent.objects.filter(reference=example_case.reference, action__startswith="example.prepare").exists()
