"""The nomination decide endpoint's body (I6): the one shape {decision, reason}, the older
{approve, reason} still read, a body whose old and new fields disagree refused."""
import pytest
from rest_framework.test import APIClient

from processes.incubation.models import Nomination

pytestmark = pytest.mark.django_db


@pytest.fixture
def nomination(submitted, people):
    # a pending nomination as the service leaves one; its preconditions (a graduated
    # application) are the service's tests' concern, not the body's
    return Nomination.objects.create(application=submitted, kind=Nomination.Kind.DEMONSTRATION,
                                     nominated_by=people["staff"])


def decide(user, nomination, body):
    api = APIClient()
    api.force_authenticate(user)
    return api.post(f"/api/v1/incubation/nominations/{nomination.pk}/decide/", body, format="json")


def state(nomination):
    nomination.refresh_from_db()
    return nomination.state, nomination.reason


@pytest.mark.parametrize("body, decided", [
    ({"decision": "approve"}, ("approved", "")),
    ({"decision": "reject", "reason": "服务规模偏小"}, ("refused", "服务规模偏小")),
    ({"approve": True}, ("approved", "")),  # the older body
    ({"approve": False, "reason": "服务规模偏小"}, ("refused", "服务规模偏小")),
    ({"approve": True, "decision": "approve"}, ("approved", "")),  # both, agreeing
])
def test_the_one_shape_and_the_older_body_decide_alike(nomination, people, body, decided):
    answer = decide(people["mca"], nomination, body)
    assert answer.status_code == 200, answer.data
    assert (answer.data["state"], answer.data["reason"]) == decided
    assert state(nomination) == decided


def test_a_body_whose_old_and_new_fields_disagree_is_refused_and_changes_nothing(nomination, people):
    answer = decide(people["mca"], nomination, {"approve": True, "decision": "reject", "reason": "x"})
    assert answer.status_code == 400
    assert "不一致" in answer.data["fields"]["approve"][0]
    assert state(nomination) == ("pending", "")


@pytest.mark.parametrize("body, field", [
    ({"decision": "accept"}, "decision"),
    ({"approve": True, "decision": "accept"}, "decision"),
    ({"approve": "maybe"}, "approve"),
    ({}, "decision"),
])
def test_an_unknown_decision_is_a_400_naming_the_field(nomination, people, body, field):
    answer = decide(people["mca"], nomination, body)
    assert answer.status_code == 400
    assert list(answer.data["fields"]) == [field]
    assert state(nomination) == ("pending", "")


def test_rejecting_still_needs_a_reason(nomination, people):
    answer = decide(people["mca"], nomination, {"decision": "reject"})
    assert answer.status_code == 400 and list(answer.data["fields"]) == ["reason"]
