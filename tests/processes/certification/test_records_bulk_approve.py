"""Approving many pending sign-in records at once: each through ``record_approve``, each
reported separately (R12), in the service, the API and the back-fill review page."""
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from processes.certification.models import ServiceRecord
from processes.certification.services.registry import record_deny, record_enter, records_approve
from tests.factories import OrganizationFactory, member, org_user

from .conftest import make_activity, signed

pytestmark = pytest.mark.django_db


def test_each_record_is_approved_or_refused_on_its_own(volunteer, activity, org, manager):
    first = signed(volunteer, activity, "2", by=manager)
    second = signed(volunteer, make_activity(org, manager, name="第二场"), "3", by=manager)
    denied = signed(volunteer, make_activity(org, manager, name="第三场"), "1", by=manager)
    record_deny(actor=manager, record_id=denied.pk, reason="未到场")
    outcomes = records_approve(actor=manager, record_ids=[first.pk, second.pk, denied.pk, 987654])
    assert [(o.id, o.ok) for o in outcomes] == [(first.pk, True), (second.pk, True), (denied.pk, False), (987654, False)]
    assert outcomes[0].reference == volunteer.volunteer_number
    assert outcomes[2].code == "conflict" and outcomes[3].code == "not_found"
    assert set(ServiceRecord.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {"approved"}
    assert ServiceRecord.objects.get(pk=denied.pk).status == "denied"


def test_the_api_answers_record_by_record_and_refuses_an_outsider(volunteer, activity, manager):
    record = signed(volunteer, activity, "2", by=manager)
    outsider = org_user(OrganizationFactory(name="别的协会"), username="other_mgr")
    api = APIClient()
    api.force_authenticate(outsider)
    body = api.post("/api/v1/certification/records/bulk-approve/", {"records": [record.pk]}, format="json").json()
    assert (body["done"], body["failed"]) == (0, 1) and body["results"][0]["code"] == "permission_denied"
    assert api.post("/api/v1/certification/records/bulk-approve/", {"records": []}, format="json").status_code == 400
    api.force_authenticate(manager)
    body = api.post("/api/v1/certification/records/bulk-approve/", {"records": [record.pk]}, format="json").json()
    assert body["done"] == 1 and ServiceRecord.objects.get(pk=record.pk).status == "approved"


def test_the_backfill_page_approves_the_chosen_records_and_lists_each(client, volunteer):
    org = OrganizationFactory(name="批量补录组织")  # one manager: its back-fills go to 金水区民政局 (R12)
    entrant = org_user(org, username="bulk_entrant")
    staff = member("mca-jinshui", "staff", username="bulk_staff")
    records = [record_enter(actor=entrant, volunteer=volunteer, id_number=volunteer.id_number, hours=2, submit=True,
                            activity=make_activity(org, entrant, name=f"补录{i}", hours=3)) for i in range(2)]
    client.force_login(staff)
    page = client.get("/workbench/certificates/backfills/").content.decode()
    assert 'form="approve-chosen"' in page and "批准所选记录" in page
    response = client.post("/workbench/certificates/backfills/", {
        "decision": "approve_chosen", "records": [r.pk for r in records]})
    assert response.status_code == 200 and "2 件已办，0 件未办" in response.content.decode()
    assert set(ServiceRecord.objects.filter(pk__in=[r.pk for r in records]).values_list("status", flat=True)) == {
        "approved"}


def test_the_portal_approves_the_chosen_sign_in_records_and_names_each_refusal(client, volunteer, activity, org, manager):
    first = signed(volunteer, activity, "2", by=manager)
    second = signed(volunteer, make_activity(org, manager, name="第二场"), "3", by=manager)
    denied = signed(volunteer, make_activity(org, manager, name="第三场"), "1", by=manager)
    record_deny(actor=manager, record_id=denied.pk, reason="未到场")
    client.force_login(manager)
    page = client.get("/portal/certification/").content.decode()
    assert 'form="records-bulk"' in page and "批准所选记录" in page
    assert f'name="records" value="{first.pk}"' in page and f'name="records" value="{denied.pk}"' not in page

    response = client.post(reverse("certification:portal-records-approve"),
                           {"records": [first.pk, second.pk, denied.pk]}, follow=True)
    said = [str(m) for m in response.context["messages"]]
    assert response.redirect_chain[-1][0] == "/portal/certification/"
    assert "2 件已办，1 件未办。" in said
    assert [m for m in said if volunteer.volunteer_number in m and "未批准" in m] != []
    assert set(ServiceRecord.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {
        "approved"}
    assert ServiceRecord.objects.get(pk=denied.pk).status == "denied"


def test_the_portal_refuses_an_empty_choice_and_changes_nothing(client, volunteer, activity, manager):
    record = signed(volunteer, activity, "2", by=manager)
    status = record.status
    client.force_login(manager)
    response = client.post(reverse("certification:portal-records-approve"), {}, follow=True)
    assert any("至少" in str(m) for m in response.context["messages"])
    assert status != "approved" and ServiceRecord.objects.get(pk=record.pk).status == status
    assert client.get(reverse("certification:portal-records-approve")).status_code == 405
