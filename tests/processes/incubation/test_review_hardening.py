"""Defects found in review, each kept fixed: bad input answers in Chinese and changes nothing,
experts score independently (I2), D3 on nominations, an ended organization frees its place
(I3), the organization supplements a returned application in the portal (I1)."""
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import RequestFactory
from django.utils import timezone

from engine.audit.models import AuditEvent
from engine.cases.actions import task_claim, task_complete, task_reassign, task_release
from engine.cases.errors import NotAllowed, RuleViolation, StateConflict
from engine.cases.models import TaskRoute
from engine.directory import demo as directory_demo
from engine.directory.models import Department, Membership, Organization
from engine.directory.services import organization_end
from engine.notifications.models import Notification
from engine.ui.labels import action_label
from processes.incubation import demo, labels, services
from processes.incubation.models import ExpertRecusal, ExpertScore, IncubationApplication, Milestone, Nomination, Status
from processes.incubation.portal import portal_section
from processes.incubation.services.review import choose_experts
from processes.incubation.tasks import advance
from tests.factories import OrganizationFactory, member, org_user

from .conftest import open_route
from .test_incubation_phase import SCORES, at_period_end, record_project, self_evaluate

pytestmark = pytest.mark.django_db


def actions(case):
    return list(AuditEvent.objects.filter(reference=case.reference).values_list("action", flat=True))


# --- staff workbench ---------------------------------------------------------------------

def test_workbench_menu_speaks_chinese(client, people):
    client.force_login(people["staff"])
    html = client.get("/workbench/incubation/").content.decode()
    assert "No viewsets found" not in html
    assert "孵化申请与基地" in html


def test_expert_sees_neither_other_experts_nor_their_progress(client, submitted, people, flow):
    flow.accept(submitted)
    one, two, three = people["experts"]
    route = TaskRoute.objects.get(reference=submitted.reference, node="score", owner=two)
    task_complete(actor=two, task_id=route.pk, decision="score", data={"score": 77, "comment": "二号意见"})
    client.force_login(one)
    html = client.get(f"/workbench/incubation/{submitted.reference}/").content.decode()
    assert one.display_name in html
    assert two.display_name not in html and three.display_name not in html
    assert "77.00" not in html and "二号意见" not in html
    client.force_login(people["staff"])
    html = client.get(f"/workbench/incubation/{submitted.reference}/").content.decode()
    assert two.display_name in html and three.display_name in html and "77.00" in html


def test_milestone_form_only_while_milestones_can_be_recorded(client, submitted, people, flow):
    client.force_login(people["staff"])
    url = f"/workbench/incubation/{submitted.reference}/"
    assert 'value="milestone"' not in client.get(url).content.decode()
    flow.incubate(submitted)
    assert 'value="milestone"' in client.get(url).content.decode()


# --- milestones: bad input is a Chinese 400 and writes nothing -----------------------------

@pytest.mark.parametrize("happened_on, message", [
    ("2026-13-45", "日期格式"), ("昨天", "日期格式"), ("", "必填"), (None, "必填"),
    (timezone.localdate() + timedelta(days=1), "不能晚于今天"),
])
def test_milestone_bad_date_refused_and_nothing_written(submitted, people, flow, happened_on, message):
    case = flow.incubate(submitted)
    before = AuditEvent.objects.count()
    with pytest.raises(RuleViolation) as exc:
        services.milestone_record(actor=people["staff"], application=case, kind="training", title="培训",
                                  happened_on=happened_on, evidence="签到表")
    assert message in exc.value.fields["happened_on"][0]
    assert not Milestone.objects.filter(application=case).exists()
    assert AuditEvent.objects.count() == before


def test_milestone_title_too_long_refused(submitted, people, flow):
    case = flow.incubate(submitted)
    with pytest.raises(RuleViolation) as exc:
        services.milestone_record(actor=people["staff"], application=case, kind="training", title="培" * 201,
                                  happened_on=timezone.localdate(), evidence="签到表")
    assert "title" in exc.value.fields
    assert not Milestone.objects.filter(application=case).exists()


def test_milestone_string_date_accepted(submitted, people, flow):
    case = flow.incubate(submitted)
    today = timezone.localdate()
    milestone = services.milestone_record(actor=people["staff"], application=case, kind="training",
                                          title="培训", happened_on=today.isoformat(), evidence="签到表")
    milestone.refresh_from_db()
    assert milestone.happened_on == today


def test_workbench_bad_milestone_date_is_a_message_not_a_500(client, submitted, people, flow):
    case = flow.incubate(submitted)
    client.force_login(people["staff"])
    r = client.post(f"/workbench/incubation/{case.reference}/", {
        "action": "milestone", "kind": "training", "title": "培训", "happened_on": "2026-02-30",
        "evidence": "签到表"}, follow=True)
    assert r.status_code == 200 and "请补全里程碑信息" in r.content.decode()
    assert not Milestone.objects.filter(application=case).exists()


def test_api_milestone_future_date_is_400(client, submitted, people, flow):
    case = flow.incubate(submitted)
    client.force_login(people["staff"])
    r = client.post(f"/api/v1/incubation/applications/{case.reference}/milestones/", {
        "kind": "training", "title": "培训", "evidence": "签到表",
        "happened_on": (timezone.localdate() + timedelta(days=3)).isoformat()}, content_type="application/json")
    assert r.status_code == 400 and "不能晚于今天" in r.content.decode()


# --- intake: a malformed expert list is refused before anything changes --------------------

@pytest.mark.parametrize("experts", ["abc", ["x"], 5, [None]])
def test_intake_accept_with_malformed_expert_list(submitted, people, experts):
    route = open_route(submitted, "intake")
    with pytest.raises(RuleViolation) as exc:
        task_complete(actor=people["staff"], task_id=route.pk, decision="accept", data={"experts": experts})
    assert "experts" in exc.value.fields
    submitted.refresh_from_db()
    assert submitted.status == Status.INTAKE_CHECK
    assert not ExpertScore.objects.filter(application=submitted).exists()
    route.refresh_from_db()
    assert route.state == TaskRoute.State.OPEN and route.owner_id is None  # not even claimed


# --- I6 nominations: D3 ------------------------------------------------------------------

def test_nominator_cannot_approve_own_nomination(submitted, people, flow):
    case = flow.incubate(submitted)
    record_project(case, people["staff"])
    with at_period_end(case):
        advance()
    self_evaluate(case)
    task_complete(actor=people["reviewer"], task_id=open_route(case, "graduation").pk, decision="graduate",
                  data=SCORES)
    both = member("base-city", "staff", username="inc_both")
    Membership.objects.create(user=both, department=Department.objects.get(code="mca"), role="reviewer")
    nomination = services.nomination_create(actor=both, application=case, kind=Nomination.Kind.DEMONSTRATION)
    with pytest.raises(NotAllowed) as exc:
        services.nomination_decide(actor=both, nomination=nomination, approve=True)
    assert exc.value.code == "separation_of_duties"
    nomination.refresh_from_db()
    assert nomination.state == Nomination.State.PENDING
    services.nomination_decide(actor=people["mca"], nomination=nomination, approve=True)
    nomination.refresh_from_db()
    assert nomination.state == Nomination.State.APPROVED


# --- an organization merged or dissolved ---------------------------------------------------

def _approved(flow, base, n):
    org = OrganizationFactory(name=f"终止测试组织{n}")
    user = org_user(org, username=f"ended_user{n}")
    case = services.application_create(actor=user, organization=org, base=base, plan="计划", documents=["a"])
    services.application_submit(actor=user, application=case)
    flow.accept(case)
    flow.score_all(case)
    flow.approve(case)
    case.refresh_from_db()
    return case


def test_dissolved_organization_frees_its_place_for_the_first_waiting(flow, people, base, django_capture_on_commit_callbacks):
    base.capacity = 1
    base.save()
    holder = _approved(flow, base, 1)
    flow.offer(holder)
    holder = services.agreement_accept(actor=holder.organization.members.first(), application=holder)
    waiting = _approved(flow, base, 2)
    assert (holder.status, waiting.status) == (Status.INCUBATING, Status.WAITLISTED)
    with django_capture_on_commit_callbacks(execute=True):
        organization_end(actor=people["mca"], organization=holder.organization,
                         status=Organization.Status.DISSOLVED, reason="自行解散")
    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert holder.status == Status.EXITED and "已注销" in holder.decision_reason and holder.closed_at
    assert not TaskRoute.objects.open().filter(reference=holder.reference).exists()
    assert "incubation.organization_ended" in actions(holder)
    assert waiting.status == Status.AGREEMENT and open_route(waiting, "agreement")
    assert "incubation.admit" in actions(waiting)
    # A second announcement changes nothing.
    assert apps.get_app_config("incubation").organization_ended(holder.organization_id) is None
    assert actions(holder).count("incubation.organization_ended") == 1


def test_merged_organization_application_before_agreement_is_rejected(submitted, people):
    other = OrganizationFactory(name="承接组织")
    Organization.objects.filter(pk=submitted.organization_id).update(status=Organization.Status.MERGED,
                                                                    successor=other)
    assert services.organization_ended(submitted.organization_id) == 1
    submitted.refresh_from_db()
    assert submitted.status == Status.REJECTED and "已合并" in submitted.decision_reason
    assert not TaskRoute.objects.open().filter(reference=submitted.reference).exists()
    assert services.organization_ended(submitted.organization_id) == 0


def test_active_organization_is_left_alone(submitted):
    assert services.close_for_ended_organization(application_id=submitted.pk) is None
    submitted.refresh_from_db()
    assert submitted.status == Status.INTAKE_CHECK


# --- portal: supplements for a returned application (I1) -----------------------------------

def test_portal_supplements_and_resubmits_a_returned_application(client, submitted, people, applicant):
    task_complete(actor=people["staff"], task_id=open_route(submitted, "intake").pk, decision="return",
                  reason="请补充理事会名单")
    client.force_login(applicant)
    html = client.get("/portal/incubation/").content.decode()
    assert f"/incubation/{submitted.reference}/update/" in html and "章程.pdf、计划书.docx" in html  # names typed before uploads, shown read-only
    r = client.post(f"/incubation/{submitted.reference}/update/", {
        "plan": "开展社区助老服务（补充）", "documents": "章程.pdf\n计划书.docx\n理事会名单.pdf", "submit": "1"})
    assert r.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.INTAKE_CHECK
    assert submitted.documents == ["章程.pdf", "计划书.docx", "理事会名单.pdf"]
    assert actions(submitted)[-2:] == ["incubation.update", "incubation.submit"]
    assert open_route(submitted, "intake")


def test_portal_refused_resubmission_keeps_nothing_of_the_edit(client, submitted, people, applicant):
    task_complete(actor=people["staff"], task_id=open_route(submitted, "intake").pk, decision="return",
                  reason="请补充理事会名单")
    client.force_login(applicant)
    r = client.post(f"/incubation/{submitted.reference}/update/", {"plan": "新计划", "documents": "", "submit": "1"},
                    follow=True)
    assert "请填写孵化计划并上传申请材料后再提交" in r.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED and submitted.documents == ["章程.pdf", "计划书.docx"]
    assert "incubation.update" not in actions(submitted)


def test_portal_update_refused_for_others_and_after_submission(client, submitted, people, applicant):
    client.force_login(applicant)
    client.post(f"/incubation/{submitted.reference}/update/", {"plan": "改", "documents": "x"})
    submitted.refresh_from_db()
    assert submitted.plan == "开展社区助老服务"  # in intake check: not editable
    outsider = org_user(OrganizationFactory(), username="inc_outsider")
    client.force_login(outsider)
    client.post(f"/incubation/{submitted.reference}/update/", {"plan": "改", "documents": "x"})
    submitted.refresh_from_db()
    assert submitted.plan == "开展社区助老服务"


def test_apply_with_refused_submission_leaves_no_draft(client, org, applicant, base):
    client.force_login(applicant)
    r = client.post("/incubation/apply/", {"organization": org.pk, "base": base.pk, "plan": "计划",
                                           "documents": "", "submit": "1"})
    assert r.status_code == 200 and "请填写孵化计划并上传申请材料后再提交" in r.content.decode()
    assert not IncubationApplication.objects.filter(organization=org).exists()


# --- history labels ------------------------------------------------------------------------

def test_history_labels_use_the_process_terms(submitted):
    assert all("出壳" not in str(label) for label in labels.ACTIONS.values())
    assert "结业评审" in action_label(submitted, "incubation.graduation.start")
    assert action_label(submitted, "incubation.organization_ended") != "incubation.organization_ended"


def test_expert_cannot_put_a_scoring_task_back_into_a_queue_nobody_serves(submitted, people, flow):
    flow.accept(submitted)
    expert = people["experts"][0]
    route = TaskRoute.objects.get(reference=submitted.reference, node="score", owner=expert)
    assert route.personal and route.state == TaskRoute.State.CLAIMED
    with pytest.raises((StateConflict, NotAllowed, RuleViolation)):
        task_release(actor=expert, task_id=route.pk)
    route.refresh_from_db()
    assert route.owner == expert and route.state == TaskRoute.State.CLAIMED


# --- query budgets that grow with the data -------------------------------------------------

def _graduated_with_nominations(flow, people, base, n):
    org = OrganizationFactory(name=f"推荐组织{n}")
    user = org_user(org, username=f"nom_user{n}")
    case = services.application_create(actor=user, organization=org, base=base, plan="计划", documents=["a"])
    services.application_submit(actor=user, application=case)
    flow.accept(case)
    flow.score_all(case)
    flow.approve(case)
    flow.offer(case)
    case = services.agreement_accept(actor=user, application=case)
    project = record_project(case, people["staff"], title=f"项目{n}")
    with at_period_end(case):
        advance()
    self_evaluate(case)
    task_complete(actor=people["reviewer"], task_id=open_route(case, "graduation").pk, decision="graduate",
                  data=SCORES)
    services.nomination_create(actor=people["staff"], application=case, kind="demonstration")
    services.nomination_create(actor=people["staff"], application=case, kind="project_library", project=project)


def test_nomination_list_query_budget(client, people, base, flow, django_assert_max_num_queries):
    client.force_login(people["mca"])
    _graduated_with_nominations(flow, people, base, 1)
    with django_assert_max_num_queries(12) as few:
        assert client.get("/api/v1/incubation/nominations/").json()["count"] == 2
    for n in range(2, 5):
        _graduated_with_nominations(flow, people, base, n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/incubation/nominations/").json()["count"] == 8


def test_portal_section_query_budget(client, base, applicant, org, django_assert_max_num_queries):
    for n in range(3):
        case = services.application_create(actor=applicant, organization=org, base=base, plan="计划", documents=["a"])
        services.application_withdraw(actor=applicant, application=case)

    request = RequestFactory().get("/portal/incubation/")
    request.user = applicant
    with django_assert_max_num_queries(8) as few:
        html = portal_section(request)
    assert html.count("已撤回") == 3
    for n in range(5):
        case = services.application_create(actor=applicant, organization=org, base=base, plan="计划", documents=["a"])
        services.application_withdraw(actor=applicant, application=case)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert portal_section(request).count("已撤回") == 8


# --- an overdue expert's task reassigned by the base's head (D2) ----------------------------

def test_reassigned_scoring_task_carries_its_sheet_to_the_new_expert(client, submitted, people, flow):
    flow.accept(submitted)
    one, two, three = people["experts"]
    head = member("base-city", "head", username="inc_head")
    fourth = member(None, "expert", username="inc_expert4")
    route = TaskRoute.objects.get(reference=submitted.reference, node="score", owner=one)
    task_reassign(actor=head, task_id=route.pk, user_id=fourth.pk, reason="专家出差")
    client.force_login(fourth)
    assert client.get(f"/api/v1/incubation/applications/{submitted.reference}/").status_code == 200
    r = client.post(f"/api/v1/incubation/applications/{submitted.reference}/score/", {"score": "75"},
                    content_type="application/json")
    assert r.status_code == 200, r.content.decode()
    sheets = dict(ExpertScore.objects.filter(application=submitted).values_list("expert__username", "score"))
    assert set(sheets) == {"inc_expert4", "inc_expert2", "inc_expert3"} and str(sheets["inc_expert4"]) == "75.00"
    event = AuditEvent.objects.filter(reference=submitted.reference, action="incubation.score.score").last()
    assert event.after["replaces_expert"] == one.pk and event.actor == fourth
    for expert in (two, three):
        r = TaskRoute.objects.get(reference=submitted.reference, node="score", owner=expert)
        task_complete(actor=expert, task_id=r.pk, decision="score", data={"score": 80})
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVAL and str(submitted.expert_average) == "78.33"


def test_expert_holding_a_sheet_cannot_take_a_second_one(submitted, people, flow):
    flow.accept(submitted)
    one, two, _ = people["experts"]
    head = member("base-city", "head", username="inc_head")
    route = TaskRoute.objects.get(reference=submitted.reference, node="score", owner=one)
    task_reassign(actor=head, task_id=route.pk, user_id=two.pk)
    with pytest.raises(NotAllowed):
        task_complete(actor=two, task_id=route.pk, decision="score", data={"score": 90})
    assert not ExpertScore.objects.filter(application=submitted, scored_at__isnull=False).exists()
    own = TaskRoute.objects.get(reference=submitted.reference, node="score", owner=two, task__data__expert=two.pk)
    task_complete(actor=two, task_id=own.pk, decision="score", data={"score": 70})
    assert ExpertScore.objects.get(application=submitted, expert=two).score == 70


def test_who_accepted_the_intake_cannot_approve_the_admission(submitted, people, flow):
    """D3: one person holding a base role and a 民政局 reviewer role cannot carry an
    application through intake and approval alone."""
    both = member("base-city", "staff", username="inc_intake_and_mca")
    Membership.objects.create(user=both, department=Department.objects.get(code="mca"), role="reviewer")
    task_complete(actor=both, task_id=open_route(submitted, "intake").pk, decision="accept")
    flow.score_all(submitted)
    route = open_route(submitted, "approval")
    with pytest.raises(NotAllowed) as exc:
        task_complete(actor=both, task_id=route.pk, decision="approve")
    assert exc.value.code == "separation_of_duties"
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVAL
    flow.approve(submitted)
    submitted.refresh_from_db()
    assert submitted.status == Status.AGREEMENT


# --- D3: an expert declares a conflict of interest -----------------------------------------

def test_expert_declares_conflict_cannot_score_and_head_reassigns(client, submitted, people, flow,
                                                                   django_capture_on_commit_callbacks):
    flow.accept(submitted)
    one, two, three = people["experts"]
    head = member("base-city", "head", username="inc_head")
    client.force_login(one)
    url = f"/workbench/incubation/{submitted.reference}/"
    assert 'id="declare-conflict"' in client.get(url).content.decode()
    r = client.post(f"/api/v1/incubation/applications/{submitted.reference}/declare-conflict/", {"statement": ""},
                    content_type="application/json")
    assert r.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/api/v1/incubation/applications/{submitted.reference}/declare-conflict/",
                        {"statement": "本人配偶任该组织理事"}, content_type="application/json")
    assert r.status_code == 201, r.content.decode()
    assert ExpertRecusal.objects.filter(application=submitted, expert=one).exists()
    assert "incubation.score.conflict" in actions(submitted)
    assert Notification.objects.filter(user=head, reference=submitted.reference).exists()
    assert 'id="declare-conflict"' not in client.get(url).content.decode()
    r = client.post(f"/api/v1/incubation/applications/{submitted.reference}/declare-conflict/",
                    {"statement": "再次"}, content_type="application/json")
    assert r.status_code == 409
    route = TaskRoute.objects.get(reference=submitted.reference, node="score", owner=one)
    with pytest.raises(NotAllowed) as exc:
        task_complete(actor=one, task_id=route.pk, decision="score", data={"score": 90})
    assert exc.value.code == "conflict_of_interest"
    fourth = member(None, "expert", username="inc_expert4")
    task_reassign(actor=head, task_id=route.pk, user_id=fourth.pk, reason="回避")
    task_complete(actor=fourth, task_id=route.pk, decision="score", data={"score": 90})
    assert ExpertScore.objects.get(application=submitted, expert=fourth).score == 90


def test_conflict_declaration_refused_without_a_task_and_counts_for_later_applications(submitted, people, flow,
                                                                                      applicant):
    outsider = member(None, "expert", username="inc_expert_free")
    with pytest.raises(Exception) as exc:
        services.expert_declare_conflict(actor=outsider, application=submitted, statement="x")
    assert exc.value.status_code == 404
    flow.accept(submitted)
    one = people["experts"][0]
    services.expert_declare_conflict(actor=one, application=submitted, statement="曾任该组织顾问")
    # A later application of the same organization never gets this expert.
    services.application_withdraw(actor=applicant, application=submitted)
    later = services.application_create(actor=applicant, organization=submitted.organization,
                                        base=submitted.department, plan="计划", documents=["a"])
    assert one not in choose_experts(later)
    with pytest.raises(RuleViolation):
        choose_experts(later, requested=[one.pk, people["experts"][1].pk, people["experts"][2].pk])


def test_nomination_decide_with_a_non_numeric_id_is_404_not_500(client, people):
    client.force_login(people["mca"])
    r = client.post("/api/v1/incubation/nominations/abc/decide/", {"approve": True}, content_type="application/json")
    assert r.status_code == 404


def test_workbench_bad_ids_answer_in_chinese(client, submitted, people, flow):
    case = flow.incubate(submitted)
    client.force_login(people["mca"])
    url = f"/workbench/incubation/{case.reference}/"
    r = client.post(url, {"action": "nomination_approve", "nomination": "abc"}, follow=True)
    html = r.content.decode()
    assert r.status_code == 200 and "提交的数据有误" in html and "expected a number" not in html


def test_experts_are_not_offered_exports_they_cannot_download(client, submitted, people, flow):
    flow.accept(submitted)
    client.force_login(people["experts"][0])
    html = client.get("/workbench/incubation/").content.decode()
    assert submitted.reference in html and "导出孵化名册" not in html
    assert client.get("/api/v1/incubation/exports/roster.xlsx").status_code == 403


def test_ended_organization_draft_is_closed_too(draft):
    Organization.objects.filter(pk=draft.organization_id).update(status=Organization.Status.DISSOLVED)
    assert services.organization_ended(draft.organization_id) == 1
    draft.refresh_from_db()
    assert draft.status == Status.REJECTED and draft.closed_at


def test_every_audit_action_of_the_demo_has_a_chinese_label():
    directory_demo.load()
    demo.load()
    cases = {c.reference: c for c in IncubationApplication.objects.all()}
    events = AuditEvent.objects.filter(reference__in=list(cases)).values_list("reference", "action").distinct()
    assert len(events) > 10
    unlabelled = {a for ref, a in events if action_label(cases[ref], a) == a}
    assert unlabelled == set()


def test_api_score_picks_the_experts_own_task_when_holding_a_reassigned_one(client, submitted, people, flow):
    flow.accept(submitted)
    one, two, _ = people["experts"]
    head = member("base-city", "head", username="inc_head")
    task_reassign(actor=head, task_id=TaskRoute.objects.get(reference=submitted.reference, node="score",
                                                            owner=one).pk, user_id=two.pk)
    client.force_login(two)
    r = client.post(f"/api/v1/incubation/applications/{submitted.reference}/score/", {"score": "66"},
                    content_type="application/json")
    assert r.status_code == 200, r.content.decode()
    assert ExpertScore.objects.get(application=submitted, expert=two).score == 66
    assert ExpertScore.objects.get(application=submitted, expert=one).score is None


def test_apply_page_offers_only_organizations_that_may_apply(client, draft, applicant):
    client.force_login(applicant)
    html = client.get("/incubation/apply/").content.decode()
    assert draft.organization.name not in html and "暂不能新申请" in html


def test_approval_stays_in_the_bases_own_districts_queue(people, flow):
    """D1: a district base's admission is approved by that district's 民政局, and neither the
    city's nor another district's reviewer can take it from the queue."""
    jinshui_base = Department.objects.get(code="base-jinshui")
    staff = member("base-jinshui", "staff", username="inc_js_staff")
    district_reviewer = member("mca-jinshui", "reviewer", username="inc_js_reviewer")
    erqi_reviewer = member("mca-erqi", "reviewer", username="inc_erqi_reviewer")
    org = OrganizationFactory(name="金水区测试组织")
    user = org_user(org, username="inc_js_org")
    case = services.application_create(actor=user, organization=org, base=jinshui_base, plan="计划", documents=["a"])
    services.application_submit(actor=user, application=case)
    task_complete(actor=staff, task_id=open_route(case, "intake").pk, decision="accept")
    flow.score_all(case)
    route = open_route(case, "approval")
    assert route.department.code == "mca-jinshui"
    for outsider in (people["mca"], erqi_reviewer):
        with pytest.raises(NotAllowed):
            task_claim(actor=outsider, task_id=route.pk)
    task_complete(actor=district_reviewer, task_id=route.pk, decision="approve")
    case.refresh_from_db()
    assert case.status == Status.AGREEMENT


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "sNaN", "1e999999"])
def test_a_score_that_is_not_a_number_is_a_400_and_nothing_is_scored(submitted, people, flow, value):
    """Issue #16: "NaN" used to reach the 0–100 comparison and raise a 500."""
    flow.accept(submitted)
    expert = people["experts"][0]
    route = TaskRoute.objects.get(reference=submitted.reference, node="score", owner=expert, state="claimed")
    with pytest.raises(RuleViolation):
        task_complete(actor=expert, task_id=route.pk, decision="score", data={"score": value})
    assert not ExpertScore.objects.filter(application=submitted, score__isnull=False).exists()
    assert TaskRoute.objects.get(pk=route.pk).state == "claimed"


def test_over_long_plan_documents_and_evidence_are_refused_and_nothing_changes(draft, applicant, people, flow,
                                                                             submitted):
    """Issue #16: free text has a length limit (a 400 naming the field), never stored."""
    with pytest.raises(RuleViolation) as exc:
        services.application_update(actor=applicant, application=draft, plan="计" * 10001)
    assert "plan" in exc.value.fields
    with pytest.raises(RuleViolation):
        services.application_update(actor=applicant, application=draft, documents=[f"材料{i}" for i in range(51)])
    with pytest.raises(RuleViolation):
        services.application_update(actor=applicant, application=draft, documents=["长" * 201])
    case = flow.incubate(submitted)
    with pytest.raises(RuleViolation) as exc:
        services.milestone_record(actor=people["staff"], application=case, kind="training", title="培训",
                                  happened_on=timezone.localdate(), evidence="证" * 4001)
    assert "evidence" in exc.value.fields
    assert not Milestone.objects.filter(application=case).exists()
    assert not AuditEvent.objects.filter(action="incubation.update").exists()
