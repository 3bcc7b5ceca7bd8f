"""Incubation to graduation: mid-term (I4), graduation outcomes (I5), milestones (I4), capacity
and the waiting list (I3), nominations (I6), the period-end beat and the missed review."""
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from config.celery import app
from engine.audit.models import AuditEvent
from engine.cases import sla
from engine.cases.actions import task_complete
from engine.cases.errors import NotAllowed, RuleViolation, StateConflict
from engine.cases.models import TaskRoute
from engine.directory.models import Department
from processes.incubation import selectors, services
from processes.incubation.models import IncubationBaseSettings, Milestone, Nomination, Status
from processes.incubation.tasks import advance as advance_task
from tests.factories import OrganizationFactory, make_uscc, org_user

from .conftest import open_route

pytestmark = pytest.mark.django_db

REVIEW = {"interview": "理事长、秘书长参加面谈。", "document_review": "章程、年报、服务记录齐全。"}  # I5
SCORES = {**REVIEW, "governance": 80, "services": 75, "finance": 70}


def actions(case):
    return list(AuditEvent.objects.filter(reference=case.reference).values_list("action", flat=True))


@pytest.fixture
def incubating(submitted, flow):
    return flow.incubate(submitted)


def at_period_end(case):
    return time_machine.travel(timezone.make_aware(
        timezone.datetime.combine(case.incubation_end, timezone.datetime.min.time())) + timedelta(hours=10))


def self_evaluate(case):
    user = case.organization.members.first()
    return services.self_evaluation_submit(actor=user, application=case, text="自评报告：治理规范，服务 800 小时。")


def record_project(case, staff, title="社区助老项目"):
    """The I4 milestones a registered organization needs to graduate: the capacity-building
    training (once) and a service project (returned)."""
    if not case.milestones.filter(kind="training").exists():
        services.milestone_record(actor=staff, application=case, kind="training", title="能力建设培训",
                                  happened_on=timezone.localdate(), evidence="培训签到表")
    return services.milestone_record(actor=staff, application=case, kind="project", title=title,
                                     happened_on=timezone.localdate(), evidence="项目书与服务记录")


def test_period_end_opens_graduation_review_once(incubating, people):
    assert advance_task() == {"midterm": 0, "graduation": 0, "admitted": 0}  # not yet due
    with at_period_end(incubating):
        assert advance_task()["graduation"] == 1
        assert advance_task()["graduation"] == 0  # idempotent
    incubating.refresh_from_db()
    assert incubating.status == Status.GRADUATION_REVIEW
    route = open_route(incubating, "graduation")
    assert (route.department.code, route.role) == ("base-city", "reviewer")
    assert actions(incubating).count("incubation.graduation.start") == 1


def test_graduate_with_scores_and_milestones_frees_the_place(incubating, people):
    record_project(incubating, people["staff"])
    with at_period_end(incubating):
        advance_task()
    route = open_route(incubating, "graduation")
    with pytest.raises(NotAllowed):  # base staff role is not the reviewer queue
        task_complete(actor=people["staff"], task_id=route.pk, decision="graduate", data=SCORES)
    with pytest.raises(RuleViolation):  # missing score
        task_complete(actor=people["reviewer"], task_id=route.pk, decision="graduate", data={"governance": 80})
    with pytest.raises(RuleViolation, match="未达到"):
        task_complete(actor=people["reviewer"], task_id=route.pk, decision="graduate",
                      data={**REVIEW, "governance": 50, "services": 50, "finance": 50})
    with pytest.raises(RuleViolation, match="自评"):
        task_complete(actor=people["reviewer"], task_id=route.pk, decision="graduate", data=SCORES)
    with pytest.raises(NotAllowed):
        services.self_evaluation_submit(actor=people["staff"], application=incubating, text="x")
    with pytest.raises(RuleViolation):
        services.self_evaluation_submit(actor=incubating.organization.members.first(), application=incubating,
                                        text=" ")
    self_evaluate(incubating)
    task_complete(actor=people["reviewer"], task_id=route.pk, decision="graduate", data=SCORES)
    incubating.refresh_from_db()
    assert incubating.status == Status.GRADUATED and incubating.graduation_average == Decimal("75.00")
    assert selectors.is_graduated(incubating.organization)
    event = AuditEvent.objects.get(reference=incubating.reference, action="incubation.graduation.graduate")
    assert event.after["average"] == "75.00"


@pytest.mark.parametrize("missing", ["interview", "document_review"])
def test_graduation_review_must_record_the_interview_and_the_document_review_I5(incubating, people, missing):
    record_project(incubating, people["staff"])
    with at_period_end(incubating):
        advance_task()
    self_evaluate(incubating)
    route = open_route(incubating, "graduation")
    with pytest.raises(RuleViolation) as exc:
        task_complete(actor=people["reviewer"], task_id=route.pk, decision="graduate",
                      data={**SCORES, missing: "  "})
    assert missing in exc.value.fields
    with pytest.raises(RuleViolation):  # bounded free text
        task_complete(actor=people["reviewer"], task_id=route.pk, decision="graduate",
                      data={**SCORES, missing: "长" * 4001})
    incubating.refresh_from_db()
    assert incubating.status == Status.GRADUATION_REVIEW and not incubating.graduation_interview
    task_complete(actor=people["reviewer"], task_id=route.pk, decision="graduate", data=SCORES)
    incubating.refresh_from_db()
    assert (incubating.graduation_interview, incubating.graduation_document_review) == (
        REVIEW["interview"], REVIEW["document_review"])
    event = AuditEvent.objects.get(reference=incubating.reference, action="incubation.graduation.graduate")
    assert event.after["interview"] == REVIEW["interview"]


def test_graduation_needs_the_capacity_building_training_I4(incubating, people):
    services.milestone_record(actor=people["staff"], application=incubating, kind="project", title="助老",
                              happened_on=timezone.localdate(), evidence="项目书")
    with at_period_end(incubating):
        advance_task()
    self_evaluate(incubating)
    route = open_route(incubating, "graduation")
    with pytest.raises(RuleViolation, match="能力建设培训"):
        task_complete(actor=people["reviewer"], task_id=route.pk, decision="graduate", data=SCORES)
    incubating.refresh_from_db()
    assert incubating.status == Status.GRADUATION_REVIEW and incubating.score_governance is None
    assert TaskRoute.objects.get(pk=route.pk).state in ("open", "claimed")
    record_project(incubating, people["staff"], title="第二个项目")  # now with the training
    task_complete(actor=people["reviewer"], task_id=route.pk, decision="graduate", data=SCORES)
    incubating.refresh_from_db()
    assert incubating.status == Status.GRADUATED


def test_graduation_needs_a_project_and_registration(incubating, people):
    with at_period_end(incubating):
        advance_task()
    route = open_route(incubating, "graduation")
    with pytest.raises(RuleViolation, match="项目"):
        task_complete(actor=people["reviewer"], task_id=route.pk, decision="graduate", data=SCORES)


def test_extend_is_limited_then_exit(incubating, people, base):
    IncubationBaseSettings.objects.create(base=base, extension_limit=1)
    with at_period_end(incubating):
        advance_task()
    with pytest.raises(RuleViolation):
        task_complete(actor=people["reviewer"], task_id=open_route(incubating, "graduation").pk, decision="extend")
    task_complete(actor=people["reviewer"], task_id=open_route(incubating, "graduation").pk, decision="extend",
                  reason="项目尚在进行")
    incubating.refresh_from_db()
    assert incubating.status == Status.EXTENDED and incubating.extensions == 1
    assert not TaskRoute.objects.open().filter(reference=incubating.reference).exists()
    with at_period_end(incubating):
        assert advance_task()["graduation"] == 1
    route = open_route(incubating, "graduation")
    with pytest.raises(RuleViolation, match="上限"):
        task_complete(actor=people["reviewer"], task_id=route.pk, decision="extend", reason="再延期")
    task_complete(actor=people["reviewer"], task_id=route.pk, decision="exit", reason="治理不达标")
    incubating.refresh_from_db()
    assert incubating.status == Status.EXITED and incubating.decision_reason == "治理不达标"
    assert "incubation.graduation.exit" in actions(incubating)


def test_midterm_review_when_the_base_holds_one(submitted, flow, people, base):
    IncubationBaseSettings.objects.create(base=base, midterm_enabled=True, period_months=12)
    case = flow.incubate(submitted)
    assert case.midterm_planned
    with at_period_end(case):  # period over but mid-term not held: mid-term first
        assert advance_task() == {"midterm": 1, "graduation": 0, "admitted": 0}
    case.refresh_from_db()
    assert case.status == Status.MIDTERM_REVIEW
    route = open_route(case, "midterm")
    with pytest.raises(RuleViolation):
        task_complete(actor=people["staff"], task_id=route.pk, decision="complete")
    task_complete(actor=people["staff"], task_id=route.pk, decision="complete", reason="进展良好")
    case.refresh_from_db()
    assert case.status == Status.INCUBATING and case.midterm_notes == "进展良好"
    with at_period_end(case):
        assert advance_task()["graduation"] == 1


def test_missed_graduation_review_becomes_exit_once(incubating, people):
    with at_period_end(incubating):
        advance_task()
    route = open_route(incubating, "graduation")
    with time_machine.travel(route.due_at + timedelta(hours=1)):
        assert sla.sweep() == {"overdue": 1, "escalated": 0}  # flagged, the head is told
    incubating.refresh_from_db()
    assert incubating.status == Status.GRADUATION_REVIEW
    with time_machine.travel(route.due_at + timedelta(days=30)):
        assert sla.sweep() == {"overdue": 0, "escalated": 1}  # the step's hook exits the case
        assert sla.sweep() == {"overdue": 0, "escalated": 0}
        assert advance_task()["graduation"] == 0
    incubating.refresh_from_db()
    assert incubating.status == Status.EXITED and "结业评审" in incubating.decision_reason
    assert actions(incubating).count("incubation.graduation.missed") == 1
    assert not TaskRoute.objects.open().filter(reference=incubating.reference).exists()
    with pytest.raises(StateConflict):
        task_complete(actor=people["reviewer"], task_id=route.pk, decision="exit", reason="x")


def _approved_application(flow, base, n, people):
    org = OrganizationFactory(name=f"排队组织{n}")
    user = org_user(org, username=f"queue_user{n}")
    case = services.application_create(actor=user, organization=org, base=base, plan="计划", documents=["a"])
    services.application_submit(actor=user, application=case)
    flow.accept(case)
    flow.score_all(case)
    flow.approve(case)
    case.refresh_from_db()
    return case, user


def test_full_base_keeps_approved_applications_waiting_in_order(flow, people):
    base = Department.objects.get(code="base-city")
    base.capacity = 1
    base.save()
    first, _ = _approved_application(flow, base, 1, people)
    second, _ = _approved_application(flow, base, 2, people)
    third, third_user = _approved_application(flow, base, 3, people)
    assert [first.status, second.status, third.status] == [Status.AGREEMENT, Status.WAITLISTED, Status.WAITLISTED]
    assert not TaskRoute.objects.open().filter(reference=second.reference).exists()
    # The third withdraws while waiting; a raised capacity then admits the second, in order.
    services.application_withdraw(actor=third_user, application=third)
    base.capacity = 2
    base.save()
    assert advance_task()["admitted"] == 1
    second.refresh_from_db()
    assert second.status == Status.AGREEMENT and open_route(second, "agreement")
    assert "incubation.admit" in actions(second)


def test_graduation_frees_a_place_for_the_first_waiting(submitted, flow, people, base, applicant):
    base.capacity = 1
    base.save()
    case = flow.incubate(submitted)
    waiting, _ = _approved_application(flow, base, 7, people)
    assert waiting.status == Status.WAITLISTED
    with at_period_end(case):
        advance_task()
    task_complete(actor=people["reviewer"], task_id=open_route(case, "graduation").pk, decision="exit",
                  reason="主动退出")
    waiting.refresh_from_db()
    assert waiting.status == Status.AGREEMENT


def test_milestones_registration_assistance(submitted, flow, people):
    submitted.organization.registered, submitted.organization.uscc = False, None
    submitted.organization.save()
    case = flow.incubate(submitted)
    with pytest.raises(NotAllowed):
        services.milestone_record(actor=people["other_base"], application=case, kind="training", title="培训",
                                  happened_on=timezone.localdate(), evidence="签到表")
    with pytest.raises(RuleViolation):
        services.milestone_record(actor=people["staff"], application=case, kind="registration", title="登记",
                                  happened_on=timezone.localdate(), evidence="登记证书", uscc="123")
    with pytest.raises(RuleViolation):
        services.milestone_record(actor=people["staff"], application=case, kind="training", title="培训",
                                  happened_on=timezone.localdate(), evidence="")
    uscc = make_uscc(9999)
    services.milestone_record(actor=people["staff"], application=case, kind="registration", title="完成登记",
                              happened_on=timezone.localdate(), evidence="登记证书扫描件", uscc=uscc.lower())
    case.organization.refresh_from_db()
    assert case.organization.registered and case.organization.uscc == uscc
    with pytest.raises(RuleViolation):  # already registered
        services.milestone_record(actor=people["staff"], application=case, kind="registration", title="再次",
                                  happened_on=timezone.localdate(), evidence="x", uscc=uscc)
    services.milestone_record(actor=people["staff"], application=case, kind="training", title="财务培训",
                              happened_on=timezone.localdate(), evidence="签到表")
    assert case.milestones.count() == 2
    assert actions(case).count("incubation.milestone.record") == 2
    assert AuditEvent.objects.filter(action="organization.registered", object_id=str(case.organization_id)).exists()


def test_milestone_refused_before_incubation(submitted, people):
    with pytest.raises(StateConflict):
        services.milestone_record(actor=people["staff"], application=submitted, kind="training", title="培训",
                                  happened_on=timezone.localdate(), evidence="签到表")


def test_nominations_after_graduation(incubating, people):
    project = record_project(incubating, people["staff"])
    with pytest.raises(StateConflict):  # not graduated yet
        services.nomination_create(actor=people["staff"], application=incubating, kind="demonstration")
    with at_period_end(incubating):
        advance_task()
    self_evaluate(incubating)
    task_complete(actor=people["reviewer"], task_id=open_route(incubating, "graduation").pk, decision="graduate",
                  data=SCORES)
    demo = services.nomination_create(actor=people["staff"], application=incubating, kind="demonstration")
    with pytest.raises(StateConflict):
        services.nomination_create(actor=people["staff"], application=incubating, kind="demonstration")
    with pytest.raises(RuleViolation):
        services.nomination_create(actor=people["staff"], application=incubating, kind="project_library")
    lib = services.nomination_create(actor=people["staff"], application=incubating, kind="project_library",
                                     project=project)
    with pytest.raises(NotAllowed):
        services.nomination_decide(actor=people["staff"], nomination=demo, approve=True)
    services.nomination_decide(actor=people["mca"], nomination=demo, approve=True)
    with pytest.raises(RuleViolation):
        services.nomination_decide(actor=people["mca"], nomination=lib, approve=False)
    services.nomination_decide(actor=people["mca"], nomination=lib, approve=False, reason="服务规模偏小")
    with pytest.raises(StateConflict):
        services.nomination_decide(actor=people["mca"], nomination=demo, approve=False, reason="x")
    assert Nomination.objects.get(pk=demo.pk).state == "approved"
    assert actions(incubating).count("incubation.nomination.decide") == 2
    assert Milestone.objects.filter(kind="project").count() == 1


def test_full_path_audit_trail_in_order(incubating, people):
    record_project(incubating, people["staff"])
    with at_period_end(incubating):
        advance_task()
    self_evaluate(incubating)
    task_complete(actor=people["reviewer"], task_id=open_route(incubating, "graduation").pk, decision="graduate",
                  data=SCORES)
    case_actions = [a for a in actions(incubating) if not a.startswith("task.")]
    assert case_actions == [
        "incubation.create", "incubation.submit", "incubation.intake.accept",
        "incubation.score.score", "incubation.score.score", "incubation.score.score",
        "incubation.approval.approve", "incubation.agreement.offer", "incubation.agreement.accept",
        "incubation.milestone.record", "incubation.milestone.record", "incubation.graduation.start",
        "incubation.graduation.self_evaluation",
        "incubation.graduation.graduate",
    ]
    accept = AuditEvent.objects.get(reference=incubating.reference, action="incubation.intake.accept")
    assert len(accept.after["experts"]) == 3 and accept.actor == people["staff"]
    last = AuditEvent.objects.filter(reference=incubating.reference).last()
    assert (last.before["status"], last.after["status"]) == ("graduation_review", "graduated")


def test_midterm_refused_to_other_base_and_audited(submitted, flow, people, base):
    IncubationBaseSettings.objects.create(base=base, midterm_enabled=True)
    case = flow.incubate(submitted)
    halfway = case.incubation_start + (case.incubation_end - case.incubation_start) / 2
    with time_machine.travel(timezone.make_aware(timezone.datetime.combine(halfway, timezone.datetime.min.time()))
                             + timedelta(hours=10)):
        assert advance_task()["midterm"] == 1
    route = open_route(case, "midterm")
    with pytest.raises(NotAllowed):
        task_complete(actor=people["other_base"], task_id=route.pk, decision="complete", reason="x")
    task_complete(actor=people["staff"], task_id=route.pk, decision="complete", reason="按计划推进")
    assert {"incubation.midterm.start", "incubation.midterm.complete"} <= set(actions(case))
    with pytest.raises(StateConflict):  # the task is done
        task_complete(actor=people["staff"], task_id=route.pk, decision="complete", reason="再次")


def test_extend_audit_and_new_end(incubating, people):
    old_end = incubating.incubation_end
    with at_period_end(incubating):
        advance_task()
        task_complete(actor=people["reviewer"], task_id=open_route(incubating, "graduation").pk, decision="extend",
                      reason="登记手续办理中")
    incubating.refresh_from_db()
    assert incubating.incubation_end > old_end
    event = AuditEvent.objects.get(reference=incubating.reference, action="incubation.graduation.extend")
    assert event.reason == "登记手续办理中" and event.after["extensions"] == 1


def test_advance_is_a_registered_beat_task():
    assert "processes.incubation.tasks.advance" in app.tasks


def test_self_evaluation_only_during_graduation_review_via_portal_and_api(incubating, applicant, client):
    with pytest.raises(StateConflict):
        self_evaluate(incubating)
    with at_period_end(incubating):
        advance_task()
    client.force_login(applicant)
    assert "提交结业自评" in client.get("/portal/incubation/").content.decode()
    client.post(f"/incubation/{incubating.reference}/self-evaluation/", {"text": "自评：服务 900 小时"})
    incubating.refresh_from_db()
    assert incubating.self_evaluation == "自评：服务 900 小时"
    api = APIClient()
    api.force_authenticate(applicant)
    r = api.post(f"/api/v1/incubation/applications/{incubating.reference}/self-evaluation/", {"text": "修订版"},
                 format="json")
    assert r.status_code == 200 and r.data["self_evaluation"] == "修订版"
    assert actions(incubating).count("incubation.graduation.self_evaluation") == 2
