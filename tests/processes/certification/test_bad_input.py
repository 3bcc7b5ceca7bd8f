"""Bad input to the portal forms and the API gets a clear answer and changes nothing; never a
500 (a non-numeric id, a reason that is not text, NUL characters PostgreSQL refuses)."""
import pytest
from rest_framework.test import APIClient

from engine.cases.models import TaskRoute
from processes.certification.models import Activity, CertificateRequest, Dispute
from processes.certification.services.requests import request_create

from .conftest import signed

pytestmark = pytest.mark.django_db


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.mark.parametrize("url,data", [
    ("/certification/portal/request/", {"organization": "abc"}),
    ("/certification/portal/dispute/", {"record": "abc", "claim": "少记"}),
    ("/certification/portal/dispute/", {"record": "{rec}", "claim": "少记\x00"}),
])
def test_volunteer_portal_forms_with_bad_ids_or_nul_redirect_with_nothing_made(client, vol_user, approved_record,
                                                                               url, data):
    client.force_login(vol_user)
    res = client.post(url, {k: v.replace("{rec}", str(approved_record.pk)) for k, v in data.items()})
    # a NUL is refused before the view (engine middleware); a bad id comes back as a message
    assert res.status_code == (400 if "\x00" in data.get("claim", "") else 302)
    assert not CertificateRequest.objects.exists()
    assert not Dispute.objects.exists()


@pytest.mark.parametrize("data", [
    {"organization": "abc", "name": "活动", "place": "郑州", "start_at": "2026-01-01T09:00",
     "end_at": "2026-01-01T11:00", "person_in_charge": "钱"},
    {"organization": "{org}", "name": "活动\x00", "place": "郑州", "start_at": "not a date",
     "end_at": "2026-01-01T11:00", "person_in_charge": "钱"},
])
def test_organization_activity_form_with_bad_input_registers_nothing(client, manager, org, data):
    client.force_login(manager)
    before = Activity.objects.count()
    res = client.post("/certification/portal/activities/", {k: v.replace("{org}", str(org.pk)) for k, v in data.items()})
    assert res.status_code in (302, 400) and Activity.objects.count() == before


def test_record_form_with_a_non_numeric_activity_enters_nothing(client, manager, volunteer):
    client.force_login(manager)
    res = client.post("/certification/portal/records/", {"volunteer": volunteer.volunteer_number, "id_number": volunteer.id_number, "activity": "x",
                                                          "hours": "2"})
    assert res.status_code == 302
    messages = [str(m) for m in res.wsgi_request._messages]
    assert any("找不到" in m for m in messages)


@pytest.mark.parametrize("reason", [["列表"], {"a": 1}, "理由\x00"])
def test_api_reasons_that_are_not_text_are_a_400(vol_user, volunteer, org, approved_record, reason):
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org)
    res = api(vol_user).post(f"/api/v1/certification/requests/{case.reference}/withdraw/", {"reason": reason},
                             format="json")
    assert res.status_code == 400
    case.refresh_from_db()
    assert case.status == "verifying"
    assert TaskRoute.objects.filter(reference=case.reference, state__in=["open", "claimed"]).exists()


def test_organization_denies_a_pending_record_in_the_portal_with_a_reason(client, manager, volunteer, activity):
    record = signed(volunteer, activity, "3")
    client.force_login(manager)
    page = client.get("/portal/certification/").content.decode()
    assert f"/certification/portal/records/{record.pk}/deny/" in page
    client.post(f"/certification/portal/records/{record.pk}/deny/", {"reason": ""})
    record.refresh_from_db()
    assert record.status == "pending"  # a denial needs a reason
    assert client.post(f"/certification/portal/records/{record.pk}/delete/").status_code == 404
    client.post(f"/certification/portal/records/{record.pk}/deny/", {"reason": "未签到"})
    record.refresh_from_db()
    assert record.status == "denied" and record.review_reason == "未签到"
