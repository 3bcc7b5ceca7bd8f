"""Issue #16: numbers, dates and free text are bounded. "NaN", "Infinity" or a huge exponent
as hours is a 400, an impossible date is a form error, dates stay in a sane range, a claim
has a length limit — and each refusal changes nothing."""
import pytest
from rest_framework.test import APIClient

from engine.cases.errors import RuleViolation
from processes.certification.models import Activity, Dispute, ServiceRecord
from processes.certification.services.disputes import dispute_file
from processes.certification.services.inputs import TEXT_MAX_LENGTH, parse_hours
from processes.certification.services.registry import record_deny

from .conftest import signed

pytestmark = pytest.mark.django_db

NOT_NUMBERS = ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "1e999999", "1E+7", "100000"]


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_hours_that_are_not_a_sane_number_are_refused(value):
    with pytest.raises(RuleViolation):
        parse_hours(value)


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_back_fill_with_such_hours_enters_nothing_portal_and_api(client, manager, volunteer, activity, value):
    client.force_login(manager)
    res = client.post("/certification/portal/records/", {"volunteer": volunteer.volunteer_number,
                                                          "id_number": volunteer.id_number,
                                                          "activity": activity.pk, "hours": value})
    assert res.status_code == 302
    res = api(manager).post("/api/v1/certification/records/", {"volunteer": volunteer.pk, "id_number": volunteer.id_number,
                                                                "activity": activity.pk, "hours": value}, format="json")
    assert res.status_code == 400
    assert not ServiceRecord.objects.exists()


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1e999999"])
def test_a_dispute_claiming_such_hours_is_refused(client, vol_user, approved_record, value):
    client.force_login(vol_user)
    client.post("/certification/portal/dispute/", {"record": approved_record.pk, "claim": "少记", "claimed_hours": value})
    with pytest.raises(RuleViolation):
        dispute_file(actor=vol_user, record=approved_record, claim="少记", claimed_hours=value)
    assert not Dispute.objects.exists()


def test_a_claim_longer_than_the_limit_is_refused(vol_user, approved_record):
    with pytest.raises(RuleViolation) as exc:
        dispute_file(actor=vol_user, record=approved_record, claim="多" * (TEXT_MAX_LENGTH + 1))
    assert "claim" in exc.value.fields
    res = api(vol_user).post("/api/v1/certification/disputes/", {"record": approved_record.pk,
                                                                 "claim": "多" * (TEXT_MAX_LENGTH + 1)}, format="json")
    assert res.status_code == 400
    assert not Dispute.objects.exists()
    dispute_file(actor=vol_user, record=approved_record, claim="多" * TEXT_MAX_LENGTH)  # the limit itself is fine


def test_a_review_reason_longer_than_its_column_is_a_400(volunteer, activity, manager, manager2):
    record = signed(volunteer, activity, 2)
    with pytest.raises(RuleViolation):
        record_deny(actor=manager, record_id=record.pk, reason="理" * 501)
    res = api(manager).post(f"/api/v1/certification/records/{record.pk}/deny/", {"reason": "理" * 501}, format="json")
    assert res.status_code == 400
    record.refresh_from_db()
    assert record.status == "pending"


@pytest.mark.parametrize("start, end", [
    ("2026-02-30T09:00", "2026-02-30T11:00"),  # no such day
    ("2026-01-01T25:00", "2026-01-01T26:00"),  # no such hour
    ("1900-01-01T09:00", "1900-01-01T11:00"),  # far in the past
    ("2999-01-01T09:00", "2999-01-01T11:00"),  # far ahead
    ("9999-12-31T23:00", "9999-12-31T23:59"),
])
def test_impossible_or_far_dates_in_the_activity_form_are_a_form_error(client, manager, org, start, end):
    client.force_login(manager)
    res = client.post("/certification/portal/activities/", {
        "organization": org.pk, "name": "活动", "place": "郑州", "start_at": start, "end_at": end,
        "person_in_charge": "钱"})
    assert res.status_code == 302
    assert "时间" in str(list(res.wsgi_request._messages)[-1]) or "日期" in str(list(res.wsgi_request._messages)[-1])
    assert not Activity.objects.exists()


@pytest.mark.parametrize("start", ["1900-01-01T09:00:00+08:00", "2999-01-01T09:00:00+08:00"])
def test_api_activity_far_dates_are_a_400(manager, org, start):
    end = start.replace("T09:", "T11:")
    res = api(manager).post("/api/v1/certification/activities/", {
        "organization": org.pk, "name": "活动", "place": "郑州", "start_at": start, "end_at": end,
        "person_in_charge": "钱"}, format="json")
    assert res.status_code == 400 and "start_at" in res.json().get("fields", {})
    assert not Activity.objects.exists()
