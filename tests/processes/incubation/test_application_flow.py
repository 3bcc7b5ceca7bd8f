"""The application from draft to incubation: intake (I1), experts (I2, D3), approval (I3)."""
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from engine.audit.models import AuditEvent
from engine.cases import sla
from engine.cases.actions import task_claim, task_complete
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.cases.models import TaskRoute
from engine.cases.selectors import task_inbox, task_queue
from engine.directory.models import Department, Membership, OrganizationMember
from engine.notifications.models import Notification
from processes.incubation import services
from processes.incubation.models import ExpertScore, IncubationBaseSettings, Status
from tests.factories import UserFactory

from .conftest import open_route

pytestmark = pytest.mark.django_db


def actions(case):
    return list(AuditEvent.objects.filter(reference=case.reference).values_list("action", flat=True))


def test_create_and_submit_opens_intake_task_in_base_queue(submitted, people, base):
    assert submitted.reference.startswith("FH-") and submitted.status == Status.INTAKE_CHECK
    route = open_route(submitted, "intake")
    assert (route.department, route.role) == (base, "staff")
    assert route in task_queue(people["staff"])
    assert not task_queue(people["other_base"]).exists()
    assert actions(submitted) == ["incubation.create", "incubation.submit"]
    event = AuditEvent.objects.get(reference=submitted.reference, action="incubation.submit")
    assert (event.before["status"], event.after["status"]) == ("draft", "intake_check")


def test_create_refused_for_non_member_and_non_base(org, base, people, applicant):
    with pytest.raises(NotAllowed):
        services.application_create(actor=people["staff"], organization=org, base=base, plan="x", documents=["a"])

    with pytest.raises(RuleViolation):
        services.application_create(actor=applicant, organization=org, base=Department.objects.get(code="mca"),
                                    plan="x", documents=["a"])


def test_one_open_application_per_organization(draft, applicant, org, base):
    with pytest.raises(RuleViolation):
        services.application_create(actor=applicant, organization=org, base=base, plan="x", documents=["a"])


def test_submit_refusals(draft, applicant, people):
    with pytest.raises(NotAllowed):
        services.application_submit(actor=people["staff"], application=draft)
    services.application_update(actor=applicant, application=draft, documents=[])
    with pytest.raises(RuleViolation):
        services.application_submit(actor=applicant, application=draft)
    services.application_update(actor=applicant, application=draft, documents=["章程.pdf"])
    services.application_submit(actor=applicant, application=draft)
    with pytest.raises(StateConflict):  # wrong state: already submitted
        services.application_submit(actor=applicant, application=draft)


def test_return_for_supplements_needs_reason_and_loops_back(submitted, people, applicant):
    route = open_route(submitted, "intake")
    with pytest.raises(RuleViolation):
        task_complete(actor=people["staff"], task_id=route.pk, decision="return", reason="  ")
    task_complete(actor=people["staff"], task_id=route.pk, decision="return", reason="缺少章程盖章页")
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED and submitted.return_reason == "缺少章程盖章页"
    assert not TaskRoute.objects.open().filter(reference=submitted.reference).exists()
    event = AuditEvent.objects.get(reference=submitted.reference, action="incubation.intake.return")
    assert event.reason == "缺少章程盖章页" and event.after["status"] == "returned"

    services.application_update(actor=applicant, application=submitted, documents=["章程（盖章）.pdf"])
    services.application_submit(actor=applicant, application=submitted)
    submitted.refresh_from_db()
    assert submitted.status == Status.INTAKE_CHECK
    assert open_route(submitted, "intake").pk != route.pk


def test_intake_wrong_actor_and_wrong_state(submitted, people, applicant):
    route = open_route(submitted, "intake")
    with pytest.raises(NotAllowed):
        task_complete(actor=people["other_base"], task_id=route.pk, decision="accept")
    with pytest.raises(NotAllowed):
        task_complete(actor=applicant, task_id=route.pk, decision="accept")
    services.application_withdraw(actor=applicant, application=submitted)
    with pytest.raises(StateConflict):
        task_complete(actor=people["staff"], task_id=route.pk, decision="accept")


def test_intake_reject(submitted, people):
    task_complete(actor=people["staff"], task_id=open_route(submitted, "intake").pk, decision="reject",
                  reason="不属于志愿服务组织")
    submitted.refresh_from_db()
    assert submitted.status == Status.REJECTED and "incubation.intake.reject" in actions(submitted)


def test_experts_score_in_parallel_and_average_passes(submitted, people, flow):
    flow.accept(submitted)
    submitted.refresh_from_db()
    assert submitted.status == Status.EXPERT_REVIEW
    routes = TaskRoute.objects.filter(reference=submitted.reference, node="score")
    assert sorted(r.owner_id for r in routes) == sorted(e.pk for e in people["experts"])
    assert all(r.state == "claimed" for r in routes)
    flow.score_all(submitted, (80, 70, 61))
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVAL and submitted.expert_average == Decimal("70.33")
    assert actions(submitted).count("incubation.score.score") == 3
    route = open_route(submitted, "approval")
    assert (route.department.code, route.role) == ("mca", "reviewer")


def test_average_below_pass_mark_rejects(submitted, people, flow, base):
    IncubationBaseSettings.objects.create(base=base, pass_mark=Decimal("75"))
    flow.accept(submitted)
    flow.score_all(submitted, (80, 70, 70))
    submitted.refresh_from_db()
    assert submitted.status == Status.REJECTED and submitted.expert_average == Decimal("73.33")
    assert not TaskRoute.objects.open().filter(reference=submitted.reference).exists()


def test_expert_cannot_score_twice_nor_others_task(submitted, people, flow):
    flow.accept(submitted)
    e1, e2, _ = people["experts"]
    services.expert_score(actor=e1, application=submitted, score=80)
    with pytest.raises(StateConflict):
        services.expert_score(actor=e1, application=submitted, score=80)
    route2 = TaskRoute.objects.get(reference=submitted.reference, node="score", owner=e2)
    with pytest.raises(NotAllowed):
        task_complete(actor=e1, task_id=route2.pk, decision="score", data={"score": 50})
    with pytest.raises(RuleViolation):
        services.expert_score(actor=e2, application=submitted, score=101)
    with pytest.raises(NotFound):
        services.expert_score(actor=people["staff"], application=submitted, score=50)


def test_d3_member_expert_is_not_chosen_and_cannot_score(submitted, people, org):
    member_expert = people["experts"][0]
    OrganizationMember.objects.create(organization=org, user=member_expert)
    route = open_route(submitted, "intake")
    with pytest.raises(RuleViolation, match="职责分离"):
        task_complete(actor=people["staff"], task_id=route.pk, decision="accept",
                      data={"experts": [e.pk for e in people["experts"]]})
    # Automatic choice leaves the member out; with only two others there are too few.
    with pytest.raises(RuleViolation, match="不足"):
        task_complete(actor=people["staff"], task_id=route.pk, decision="accept")
    extra = UserFactory(username="inc_expert4")

    Membership.objects.create(user=extra, department=None, role="expert")
    task_complete(actor=people["staff"], task_id=route.pk, decision="accept")
    assert not ExpertScore.objects.filter(application=submitted, expert=member_expert).exists()


def test_d3_expert_who_joins_the_applicant_later_cannot_score(submitted, people, org, flow):
    flow.accept(submitted)
    expert = people["experts"][1]
    OrganizationMember.objects.create(organization=org, user=expert)
    with pytest.raises(NotAllowed, match="利益冲突回避"):  # the engine's Case.conflicts_with
        services.expert_score(actor=expert, application=submitted, score=90)
    assert ExpertScore.objects.get(application=submitted, expert=expert).score is None


def test_approval_admits_and_agreement_is_routed_to_base(submitted, people, flow, applicant):
    flow.accept(submitted)
    flow.score_all(submitted)
    route = open_route(submitted, "approval")
    with pytest.raises(NotAllowed):  # the base cannot approve its own admission (I3)
        task_claim(actor=people["staff"], task_id=route.pk)
    with pytest.raises(NotAllowed):  # wrong role at 民政局
        task_claim(actor=people["mca_staff"], task_id=route.pk)
    flow.approve(submitted)
    submitted.refresh_from_db()
    assert submitted.status == Status.AGREEMENT and submitted.admitted_at is not None
    event = AuditEvent.objects.get(reference=submitted.reference, action="incubation.approval.approve")
    assert event.after["capacity"] == 20 and event.actor == people["mca"]
    assert open_route(submitted, "agreement").department.code == "base-city"


def test_approval_reject_needs_reason(submitted, people, flow):
    flow.accept(submitted)
    flow.score_all(submitted)
    route = open_route(submitted, "approval")
    with pytest.raises(RuleViolation):
        task_complete(actor=people["mca"], task_id=route.pk, decision="reject")
    task_complete(actor=people["mca"], task_id=route.pk, decision="reject", reason="不符合孵化方向")
    submitted.refresh_from_db()
    assert submitted.status == Status.REJECTED and submitted.decision_reason == "不符合孵化方向"


def test_withdraw_before_agreement_cancels_tasks_and_not_after(submitted, people, flow, applicant):
    flow.accept(submitted)
    with pytest.raises(NotAllowed):
        services.application_withdraw(actor=people["staff"], application=submitted)
    services.application_withdraw(actor=applicant, application=submitted, reason="另有安排")
    submitted.refresh_from_db()
    assert submitted.status == Status.WITHDRAWN
    assert not TaskRoute.objects.open().filter(reference=submitted.reference).exists()
    assert "incubation.withdraw" in actions(submitted)
    with pytest.raises(StateConflict):
        services.application_withdraw(actor=applicant, application=submitted)


def test_agreement_offer_and_accept_start_incubation(submitted, people, flow, applicant):
    flow.accept(submitted)
    flow.score_all(submitted)
    flow.approve(submitted)
    with pytest.raises(StateConflict):  # nothing offered yet
        services.agreement_accept(actor=applicant, application=submitted)
    route = open_route(submitted, "agreement")
    with pytest.raises(RuleViolation):
        task_complete(actor=people["staff"], task_id=route.pk, decision="offer")
    with pytest.raises(NotAllowed):
        task_complete(actor=people["mca"], task_id=route.pk, decision="offer", data={"terms": "x"})
    flow.offer(submitted)
    with pytest.raises(NotAllowed):
        services.agreement_accept(actor=people["staff"], application=submitted)
    with pytest.raises(StateConflict):
        services.application_withdraw(actor=applicant, application=submitted)
    case = services.agreement_accept(actor=applicant, application=submitted)
    assert case.status == Status.INCUBATING
    assert (case.incubation_end - case.incubation_start).days in range(365, 367)
    assert {"incubation.agreement.offer", "incubation.agreement.accept"} <= set(actions(case))
    with pytest.raises(StateConflict):
        services.agreement_accept(actor=applicant, application=submitted)


def test_intake_reject_needs_reason(submitted, people):
    with pytest.raises(RuleViolation):
        task_complete(actor=people["staff"], task_id=open_route(submitted, "intake").pk, decision="reject")
    submitted.refresh_from_db()
    assert submitted.status == Status.INTAKE_CHECK


def test_expert_cannot_score_a_withdrawn_application(submitted, people, flow, applicant):
    flow.accept(submitted)
    expert = people["experts"][0]
    route = TaskRoute.objects.get(reference=submitted.reference, node="score", owner=expert)
    services.application_withdraw(actor=applicant, application=submitted)
    with pytest.raises(StateConflict):
        task_complete(actor=expert, task_id=route.pk, decision="score", data={"score": 80})
    with pytest.raises(StateConflict):
        services.expert_score(actor=expert, application=submitted, score=80)


def test_expert_tasks_are_in_the_experts_inboxes_only(submitted, people, flow):
    flow.accept(submitted)
    for expert in people["experts"]:
        assert [r.node for r in task_inbox(expert)] == ["score"]
    assert not task_queue(people["staff"]).filter(node="score").exists()


def test_overdue_expert_task_stays_with_the_expert_and_base_is_told(submitted, people, flow):
    flow.accept(submitted)
    expert = people["experts"][0]
    route = TaskRoute.objects.get(reference=submitted.reference, node="score", owner=expert)
    with time_machine.travel(route.due_at + timedelta(days=30)):
        assert sla.sweep()["escalated"] == 3
        assert sla.sweep() == {"overdue": 0, "escalated": 0}
    route.refresh_from_db()
    assert (route.department.code, route.owner, route.state) == ("base-city", expert, "claimed")
    assert Notification.objects.filter(user=people["staff"], kind="task.escalated").exists()
    services.expert_score(actor=expert, application=submitted, score=75)
    assert actions(submitted).count("incubation.score.overdue") == 3
