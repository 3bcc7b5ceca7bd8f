"""The certification decide endpoints' body: the engine's {decision, reason}, decision one the
flows' steps declare, and the step's own ``data`` as before. Certification had no other body,
so there is no deprecated field and no old-and-new disagreement to refuse here."""
import pytest
from rest_framework.test import APIClient

from processes.certification.models import CertificateRequest, Dispute
from processes.certification.services.disputes import dispute_file
from processes.certification.services.requests import request_create

pytestmark = pytest.mark.django_db
API = "/api/v1/certification"


@pytest.fixture
def requested(vol_user, volunteer, org, approved_record):
    return request_create(actor=vol_user, volunteer=volunteer, organization=org, record_ids=None, purpose="求职",
                          seal_requested=False, include_training=False, include_evaluation=False)


@pytest.fixture
def disputed(vol_user, approved_record):
    return dispute_file(actor=vol_user, record=approved_record, certificate=None, claim="应为8小时",
                        claimed_hours="8")


def decide(user, path, body):
    api = APIClient()
    api.force_authenticate(user)
    return api.post(f"{API}/{path}/decide/", body, format="json")


def status(model, case):
    return model.objects.values_list("status", flat=True).get(pk=case.pk)


def test_a_request_is_decided_with_decision_and_reason(manager, requested):
    answer = decide(manager, f"requests/{requested.reference}", {"decision": "refuse", "reason": "记录不全"})
    assert answer.status_code == 200, answer.data
    assert answer.data["status"] == "refused" and answer.data["refusal_reason"] == "记录不全"


def test_a_dispute_is_decided_with_decision_reason_and_the_steps_data(manager, disputed):
    answer = decide(manager, f"disputes/{disputed.reference}",
                    {"decision": "uphold", "reason": "属实", "data": {"hours": "8"}})
    assert answer.status_code == 200, answer.data
    assert answer.data["status"] == "upheld" and answer.data["decision_reason"] == "属实"


@pytest.mark.parametrize("decision", ["approve", "", "dismiss"])
def test_a_decision_no_step_declares_is_a_400_on_the_field(manager, requested, decision):
    answer = decide(manager, f"requests/{requested.reference}", {"decision": decision, "reason": "x"})
    assert answer.status_code == 400
    assert list(answer.data["fields"]) == ["decision"]
    assert status(CertificateRequest, requested) == requested.status


def test_a_decision_of_another_step_is_a_400_on_the_field(manager, requested, disputed):
    sealing = decide(manager, f"requests/{requested.reference}", {"decision": "seal"})
    upholding = decide(manager, f"requests/{requested.reference}", {"decision": "uphold", "reason": "x"})
    issuing = decide(manager, f"disputes/{disputed.reference}", {"decision": "issue", "reason": "x"})
    for answer in (sealing, upholding, issuing):
        assert answer.status_code == 400 and list(answer.data["fields"]) == ["decision"]
    assert status(CertificateRequest, requested) == requested.status
    assert status(Dispute, disputed) == disputed.status
