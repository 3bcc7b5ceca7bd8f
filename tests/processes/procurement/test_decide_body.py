"""The complaint decide endpoint's body: the one shape {decision, reason} (uphold or dismiss,
the written decision), the older {upheld, decision} (decision the written text) still read, a
body whose old and new fields disagree refused."""
import pytest
from rest_framework.test import APIClient

from processes.procurement import services
from processes.procurement.models import Complaint

pytestmark = pytest.mark.django_db
API = "/api/v1/procurement"


@pytest.fixture
def escalated(drive, people):
    """One escalated complaint per bidder that has bid, waiting for finance."""
    tender = drive.standstill()
    complaints = []
    for user, organization in zip(people["org_users"][:3], people["orgs"][:3]):
        complaint = services.complaint_file(actor=user, tender_id=tender.pk, organization_id=organization.pk,
                                            text="评分不公")
        services.complaint_answer(actor=people["staff"], complaint_id=complaint.pk, answer="已复核")
        complaints.append(services.complaint_escalate(actor=user, complaint_id=complaint.pk, reason="不服答复"))
    return complaints


def decide(user, complaint, body):
    api = APIClient()
    api.force_authenticate(user)
    return api.post(f"{API}/complaints/{complaint.pk}/decide/", body, format="json")


def outcome(complaint):
    return Complaint.objects.values_list("status", "decision").get(pk=complaint.pk)


def test_the_one_shape_and_the_older_body_decide_alike(escalated, people):
    bodies = [
        ({"decision": "uphold", "reason": "评分有误"}, ("upheld", "评分有误")),
        ({"upheld": False, "decision": "投诉不成立"}, ("dismissed", "投诉不成立")),  # the older body
        # both, agreeing: the deprecated flag beside the one shape, or the older text repeated in reason
        ({"upheld": True, "decision": "投诉成立", "reason": "投诉成立"}, ("upheld", "投诉成立")),
    ]
    for complaint, (body, decided) in zip(escalated, bodies):
        answer = decide(people["fin"], complaint, body)
        assert answer.status_code == 200, (body, answer.data)
        assert (answer.data["status"], answer.data["decision"]) == decided
        assert outcome(complaint) == decided


@pytest.mark.parametrize("body, field", [
    ({"upheld": True, "decision": "dismiss", "reason": "不成立"}, "upheld"),  # the flag says uphold
    ({"upheld": False, "decision": "维持原结果", "reason": "另一段意见"}, "reason"),  # two written texts
    ({"decision": "reject", "reason": "x"}, "decision"),  # no such decision
    ({"decision": "dismiss"}, "reason"),  # the written decision is required
    ({"upheld": "maybe", "decision": "x"}, "upheld"),
])
def test_a_contradictory_or_unknown_body_is_a_400_naming_the_field(escalated, people, body, field):
    complaint = escalated[0]
    answer = decide(people["fin"], complaint, body)
    assert answer.status_code == 400
    assert list(answer.data["fields"]) == [field]
    assert outcome(complaint) == ("escalated", "")
