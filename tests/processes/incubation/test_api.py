"""The incubation API: who sees what, the applicant's actions, expert scoring, milestones."""
import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from engine.cases.actions import task_complete
from processes.incubation import services
from processes.incubation.models import Status
from processes.incubation.tasks import advance
from tests.factories import OrganizationFactory, member, org_user

from .conftest import open_route

pytestmark = pytest.mark.django_db
URL = "/api/v1/incubation/applications/"


def client(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_applicant_creates_submits_and_withdraws(applicant, org, people):
    api = client(applicant)
    r = api.post(URL, {"organization": org.pk, "base": "base-city", "plan": "助老服务", "documents": ["章程.pdf"]},
                 format="json")
    assert r.status_code == 201, r.data
    ref = r.data["reference"]
    assert r.data["status"] == "draft" and r.data["status_display"] == "草稿"
    r = api.patch(f"{URL}{ref}/", {"documents": ["章程.pdf", "计划书.pdf"]}, format="json")
    assert r.status_code == 200 and r.data["documents"] == ["章程.pdf", "计划书.pdf"]
    r = api.post(f"{URL}{ref}/submit/")
    assert r.status_code == 200 and r.data["status"] == "intake_check"
    assert r.data["open_steps"][0]["step_title"] == "受理审查"
    assert api.post(f"{URL}{ref}/submit/").data["code"] == "conflict"
    r = api.post(f"{URL}{ref}/withdraw/", {"reason": "改期申请"}, format="json")
    assert r.status_code == 200 and r.data["status"] == "withdrawn"


def test_create_bad_input_and_foreign_organization(applicant, org):
    api = client(applicant)
    r = api.post(URL, {"organization": org.pk, "base": "base-city"}, format="json")
    assert r.status_code == 400 and "plan" in r.data["fields"]
    other = OrganizationFactory()
    r = api.post(URL, {"organization": other.pk, "base": "base-city", "plan": "x", "documents": ["a"]}, format="json")
    assert r.status_code == 403
    r = api.post(URL, {"organization": org.pk, "base": "nope", "plan": "x", "documents": ["a"]}, format="json")
    assert r.status_code == 400


def test_visibility_org_staff_expert_outsider(submitted, people, applicant, flow):
    flow.accept(submitted)
    ref = submitted.reference
    outsider = org_user(OrganizationFactory(), username="outsider")
    assert [a["reference"] for a in client(applicant).get(URL).data["results"]] == [ref]
    assert client(outsider).get(URL).data["results"] == []
    assert client(outsider).get(f"{URL}{ref}/").status_code == 404
    assert client(people["other_base"]).get(f"{URL}{ref}/").status_code == 404
    assert client(people["staff"]).get(f"{URL}{ref}/").status_code == 200
    assert client(people["mca"]).get(f"{URL}{ref}/").status_code == 200
    expert = people["experts"][0]
    assert [a["reference"] for a in client(expert).get(URL).data["results"]] == [ref]

    unassigned = member(None, "expert", username="unassigned_expert")
    assert client(unassigned).get(f"{URL}{ref}/").status_code == 404


def test_expert_scores_through_api_and_sees_only_own_sheet(submitted, people, applicant, flow):
    flow.accept(submitted)
    ref = submitted.reference
    e1, e2, e3 = people["experts"]
    assert client(e1).post(f"{URL}{ref}/score/", {"score": "150"}, format="json").status_code == 400
    r = client(e1).post(f"{URL}{ref}/score/", {"score": "80", "comment": "方向清晰"}, format="json")
    assert r.status_code == 200 and [s["score"] for s in r.data["scores"]] == ["80.00"]
    assert client(e1).post(f"{URL}{ref}/score/", {"score": "80"}, format="json").status_code == 409
    assert client(applicant).post(f"{URL}{ref}/score/", {"score": "80"}, format="json").status_code == 404
    own = client(e2).get(f"{URL}{ref}/").data["scores"]  # only the own, still empty sheet: nothing of e1's
    assert [s["score"] for s in own] == [None]
    client(e2).post(f"{URL}{ref}/score/", {"score": "70"}, format="json")
    client(e3).post(f"{URL}{ref}/score/", {"score": "60"}, format="json")
    staff_view = client(people["staff"]).get(f"{URL}{ref}/").data
    assert staff_view["status"] == "approval" and staff_view["expert_average"] == "70.00"
    assert len(staff_view["scores"]) == 3
    org_view = client(applicant).get(f"{URL}{ref}/").data
    assert org_view["scores"] == [] and org_view["expert_average"] is None


def test_returned_reason_visible_to_applicant(submitted, people, applicant):
    task_complete(actor=people["staff"], task_id=open_route(submitted, "intake").pk, decision="return",
                  reason="请补充章程盖章页")
    data = client(applicant).get(f"{URL}{submitted.reference}/").data
    assert data["status_display"] == "已退回" and data["return_reason"] == "请补充章程盖章页"


def test_agreement_and_milestones_via_api(submitted, people, applicant, flow):
    flow.accept(submitted)
    flow.score_all(submitted)
    flow.approve(submitted)
    flow.offer(submitted)
    ref = submitted.reference
    r = client(applicant).post(f"{URL}{ref}/accept-agreement/")
    assert r.status_code == 200 and r.data["status"] == Status.INCUBATING
    body = {"kind": "training", "title": "财务管理培训", "happened_on": "2026-03-01", "evidence": "签到表"}
    r = client(people["staff"]).post(f"{URL}{ref}/milestones/", {**body, "happened_on": "1900-01-01"}, format="json")
    assert r.status_code == 400 and "happened_on" in r.json()["fields"]  # before the application: not sane
    body["happened_on"] = timezone.localdate(submitted.created_at).isoformat()  # the day in Beijing
    assert client(applicant).post(f"{URL}{ref}/milestones/", body, format="json").status_code == 403
    r = client(people["staff"]).post(f"{URL}{ref}/milestones/", body, format="json")
    assert r.status_code == 201 and r.data["kind_display"] == "能力建设培训"
    r = client(applicant).get(f"{URL}{ref}/milestones/")
    assert [m["title"] for m in r.data] == ["财务管理培训"]


def test_list_query_budget(people, django_assert_max_num_queries, base):
    def add(start, stop):
        for n in range(start, stop):
            org = OrganizationFactory()
            user = org_user(org, username=f"budget{n}")
            case = services.application_create(actor=user, organization=org, base=base, plan="x", documents=["a"])
            services.application_submit(actor=user, application=case)

    add(0, 2)
    api = client(people["staff"])
    with django_assert_max_num_queries(8) as few:
        assert api.get(URL).data["count"] == 2
    add(2, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):  # the same count for six times the rows
        r = api.get(URL)
    assert r.data["count"] == 12 and len(r.data["results"]) >= 10


def test_nominations_via_api(submitted, people, applicant, flow):
    case = flow.incubate(submitted)
    services.milestone_record(actor=people["staff"], application=case, kind="training", title="培训",
                              happened_on=timezone.localdate(), evidence="签到表")
    project = services.milestone_record(actor=people["staff"], application=case, kind="project", title="助老",
                                        happened_on=timezone.localdate(), evidence="项目书")
    with time_machine.travel(timezone.datetime(case.incubation_end.year, case.incubation_end.month,
                                               case.incubation_end.day, 12, tzinfo=timezone.get_current_timezone())):
        advance()
    services.self_evaluation_submit(actor=applicant, application=case, text="自评")
    task_complete(actor=people["reviewer"], task_id=open_route(case, "graduation").pk, decision="graduate",
                  data={"interview": "面谈", "document_review": "材料齐全", "governance": 80, "services": 80, "finance": 80})
    ref = case.reference
    r = client(applicant).post(f"{URL}{ref}/nominations/", {"kind": "demonstration"}, format="json")
    assert r.status_code == 403
    r = client(people["staff"]).post(f"{URL}{ref}/nominations/", {"kind": "project_library", "project": project.pk},
                                     format="json")
    assert r.status_code == 201 and r.data["state"] == "pending"
    nid = r.data["id"]
    assert client(people["staff"]).post(f"/api/v1/incubation/nominations/{nid}/decide/", {"approve": True},
                                        format="json").status_code == 403
    r = client(people["mca"]).post(f"/api/v1/incubation/nominations/{nid}/decide/", {"approve": True}, format="json")
    assert r.status_code == 200 and r.data["state_display"] == "已入选"
    assert [n["id"] for n in client(applicant).get("/api/v1/incubation/nominations/").data["results"]] == [nid]
