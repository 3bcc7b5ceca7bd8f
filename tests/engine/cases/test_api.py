import pytest
from rest_framework.test import APIClient

from engine.cases.models import TaskRoute
from tests.example.models import ExampleCase
from tests.factories import member

pytestmark = pytest.mark.django_db


def client_for(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_queue_claim_conflict_complete_and_case_view(base_people, example_case):
    staff = client_for(base_people["staff"])
    queue = staff.get("/api/v1/tasks/?view=queue").json()
    assert queue["count"] == 1
    task = queue["results"][0]
    assert task["department"] == "base-city" and task["decisions"] == {"submit": "提交审核"}
    assert staff.post(f"/api/v1/tasks/{task['id']}/claim/").status_code == 200

    other = client_for(member("base-city", "staff"))
    conflict = other.post(f"/api/v1/tasks/{task['id']}/claim/")
    assert conflict.status_code == 409 and conflict.json()["code"] == "task_claimed"

    bad = staff.post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "nope"}, format="json")
    assert bad.status_code == 400 and "decision" in bad.json()["fields"]
    done = staff.post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "submit"}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "done"

    case = staff.get(f"/api/v1/cases/{example_case.reference}/").json()
    assert case["status"] == "review"
    assert [s["node"] for s in case["open_steps"]] == ["approve"]
    assert case["open_steps"][0]["department_code"] == "base-city"
    assert "due_provisional" in case["open_steps"][0]
    assert [h["action"] for h in case["history"]][-1] == "example.prepare.submit"


def test_case_hidden_from_other_district_and_wrong_role_forbidden(base_people, example_case):
    erqi = client_for(base_people["other_district"])
    assert erqi.get(f"/api/v1/cases/{example_case.reference}/").status_code == 404
    route = TaskRoute.objects.get(reference=example_case.reference)
    # another district's task answers like a missing one: its id tells nothing
    hidden = erqi.post(f"/api/v1/tasks/{route.pk}/claim/")
    missing = erqi.post(f"/api/v1/tasks/{route.pk + 10_000}/claim/")
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()
    route.refresh_from_db()
    assert route.state == "open"
    assert erqi.get("/api/v1/tasks/?view=queue").json()["count"] == 0


def test_filters(base_people, example_case):
    staff = client_for(base_people["staff"])
    assert staff.get("/api/v1/tasks/?view=queue&process=example").json()["count"] == 1
    assert staff.get("/api/v1/tasks/?view=queue&process=procurement").json()["count"] == 0
    assert staff.get("/api/v1/tasks/?view=queue&overdue=true").json()["count"] == 0
    assert staff.get("/api/v1/tasks/?view=queue&department=mca").json()["count"] == 0


def test_a_party_sees_status_changes_and_reasons_not_internal_history(base_people, example_case, monkeypatch):
    applicant = member("mca-erqi", "staff")  # no department access to this case
    monkeypatch.setattr(ExampleCase, "visible_to", lambda self, user: user.pk == applicant.pk)
    staff = client_for(base_people["staff"])
    task = staff.get("/api/v1/tasks/?view=queue").json()["results"][0]
    staff.post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "submit"}, format="json")
    reviewer = client_for(base_people["reviewer"])
    approve = reviewer.get("/api/v1/tasks/?view=queue").json()["results"][0]
    reviewer.post(f"/api/v1/tasks/{approve['id']}/complete/", {"decision": "send_back", "reason": "缺少章程"},
                  format="json")
    body = client_for(applicant).get(f"/api/v1/cases/{example_case.reference}/").json()
    assert [(h["status_before"], h["status_after"]) for h in body["history"]] == [
        ("", "draft"), ("draft", "review"), ("review", "draft")]
    assert body["history"][-1]["reason"] == "缺少章程"
    assert all("actor" not in h and "after" not in h for h in body["history"])
