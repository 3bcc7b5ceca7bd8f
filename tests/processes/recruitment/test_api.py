"""The recruitment API: publish, list with filters, sign up, select, the live answer count, and
the refusals (400 on bad input, 404 for what the caller may not reach, 409 on the state)."""
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from processes.recruitment.models import EmergencyCall, Recruitment, SignUp, Skill, VolunteerProfile
from tests.factories import OrganizationFactory, org_user

from .conftest import coming_activity, person, publish

pytestmark = pytest.mark.django_db


def client(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_a_manager_publishes_and_a_volunteer_signs_up_and_is_selected(org, manager, activity, vol_user):
    Skill.objects.create(name="急救")
    body = {"activity": activity.pk, "title": "急救志愿者招募", "place": "金水区", "skills": ["急救"], "min_age": 18,
            "slots": [{"start_at": activity.start_at.isoformat(), "end_at": activity.end_at.isoformat(), "places": 1}]}
    res = client(manager).post("/api/v1/recruitment/recruitments/", body, format="json")
    assert res.status_code == 201, res.content
    assert res.data["skills"] == ["急救"] and res.data["slots"][0]["places"] == 1
    slot = res.data["slots"][0]["id"]
    listed = client(vol_user).get("/api/v1/recruitment/recruitments/", {"skill": "急救"})
    assert [r["id"] for r in listed.data["results"]] == [res.data["id"]]
    assert client(vol_user).get("/api/v1/recruitment/recruitments/", {"skill": "外语"}).data["results"] == []
    signed = client(vol_user).post(f"/api/v1/recruitment/slots/{slot}/sign-up/", format="json")
    assert signed.status_code == 201 and signed.data["status"] == "applied"
    assert client(vol_user).post(f"/api/v1/recruitment/slots/{slot}/sign-up/", format="json").status_code == 409
    listed = client(manager).get(f"/api/v1/recruitment/recruitments/{res.data['id']}/signups/")
    assert listed.data["results"][0]["volunteer_name"] == "志愿者1"  # the organization sees the name
    chosen = client(manager).post(f"/api/v1/recruitment/signups/{signed.data['id']}/select/", format="json")
    assert chosen.status_code == 200 and chosen.data["status"] == "selected"
    assert client(vol_user).get("/api/v1/recruitment/signups/").data["results"][0]["status"] == "selected"


def test_bad_input_is_a_400_and_changes_nothing(manager, activity):
    api = client(manager)
    for body in ({}, {"activity": activity.pk, "title": "x", "place": "y", "slots": []},
                 {"activity": activity.pk, "title": "x", "place": "y", "skills": ["不存在"],
                  "slots": [{"start_at": activity.start_at.isoformat(), "end_at": activity.end_at.isoformat(),
                             "places": 1}]},
                 {"activity": activity.pk, "title": "x", "place": "y",
                  "slots": [{"start_at": activity.end_at.isoformat(), "end_at": activity.start_at.isoformat(),
                             "places": 1}]},
                 {"activity": 10**9, "title": "x", "place": "y",
                  "slots": [{"start_at": "not a date", "end_at": activity.end_at.isoformat(), "places": 0}]}):
        assert api.post("/api/v1/recruitment/recruitments/", body, format="json").status_code == 400
    assert not Recruitment.objects.exists()


def test_another_organization_reaches_none_of_it(recruitment, vol_user):
    signup = client(vol_user).post(f"/api/v1/recruitment/slots/{recruitment.slots.get().pk}/sign-up/", format="json")
    stranger = client(org_user(OrganizationFactory(), username="rc_other"))
    assert stranger.post(f"/api/v1/recruitment/signups/{signup.data['id']}/select/", format="json").status_code == 404
    assert stranger.get(f"/api/v1/recruitment/recruitments/{recruitment.pk}/answers/").status_code == 404
    assert stranger.get(f"/api/v1/recruitment/recruitments/{recruitment.pk}/signups/").data["results"] == []
    assert stranger.post(f"/api/v1/recruitment/recruitments/{recruitment.pk}/cancel/", {"reason": "x"},
                         format="json").status_code == 404
    assert SignUp.objects.get().status == "applied"


def test_the_live_count_of_an_emergency_recruitment(org, manager):
    users = [person(n) for n in (1, 2, 3)]
    for user in users:
        client(user).post("/api/v1/recruitment/profile/", {"skills": [], "emergency_available": True}, format="json")
    assert VolunteerProfile.objects.count() == 3
    activity = coming_activity(org, manager, days=0, hours=6)
    recruitment = publish(manager, activity, kind="emergency", answer_by=timezone.now() + timedelta(minutes=30))
    count = client(manager).get(f"/api/v1/recruitment/recruitments/{recruitment.pk}/answers/")
    assert count.data["called"] == 3 and count.data["answered"] == 0
    assert client(users[0]).post(f"/api/v1/recruitment/recruitments/{recruitment.pk}/answer/", {"answer": "yes"},
                                 format="json").status_code == 200
    assert client(users[1]).post(f"/api/v1/recruitment/recruitments/{recruitment.pk}/answer/", {"answer": "no"},
                                 format="json").status_code == 200
    assert client(users[2]).post(f"/api/v1/recruitment/recruitments/{recruitment.pk}/answer/", {"answer": "maybe"},
                                 format="json").status_code == 400
    count = client(manager).get(f"/api/v1/recruitment/recruitments/{recruitment.pk}/answers/").data
    assert (count["called"], count["answered"], count["coming"], count["declined"]) == (3, 2, 1, 1)
    assert EmergencyCall.objects.filter(answer="").count() == 1
    calls = client(users[2]).get("/api/v1/recruitment/calls/").data["results"]
    assert [c["recruitment"] for c in calls] == [recruitment.pk]
