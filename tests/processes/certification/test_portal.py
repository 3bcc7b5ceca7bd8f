"""The organization's portal: correcting one record of a certificate built on several (R6)."""
import pytest

from engine.cases.actions import task_complete
from engine.cases.models import TaskRoute
from processes.certification.models import Certificate, ServiceRecord
from processes.certification.services.disputes import dispute_file
from processes.certification.services.requests import request_create

from .conftest import approved, make_activity

pytestmark = pytest.mark.django_db

def test_organization_corrects_one_record_of_a_several_record_certificate_in_the_portal(
        client, org, manager, volunteer, vol_user, approved_record):
    other = approved(manager, volunteer, make_activity(org, manager, name="第二次活动"), 2)
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org)
    task_complete(actor=manager, task_id=TaskRoute.objects.get(reference=case.reference).pk, decision="issue")
    cert = Certificate.objects.get()
    dispute = dispute_file(actor=vol_user, certificate=cert, claim="第二次活动应为3小时")
    client.force_login(manager)
    page = client.get("/portal/certification/").content.decode()
    assert f'name="hours_{other.pk}"' in page and f'name="hours_{approved_record.pk}"' in page
    route = TaskRoute.objects.get(reference=dispute.reference, state__in=["open", "claimed"])
    client.post(f"/certification/portal/tasks/{route.pk}/",
                {"decision": "uphold", "reason": "核实签到", f"hours_{other.pk}": "3", f"hours_{approved_record.pk}": ""})
    cert.refresh_from_db()
    assert cert.status == "superseded"
    assert cert.superseded_by.total_hours == approved_record.hours + 3
    assert ServiceRecord.objects.get(pk=approved_record.pk).is_current  # left alone


def test_portal_back_fill_goes_to_review_and_waits_for_another_manager(client, org, manager, manager2, volunteer):
    activity = make_activity(org, manager, name="补录活动", hours=4)
    client.force_login(manager)
    client.post("/certification/portal/records/", {"volunteer": volunteer.volunteer_number, "id_number": volunteer.id_number, "activity": activity.pk,
                                                   "hours": "3", "source": "backfill"})
    record = ServiceRecord.objects.get(activity=activity)
    assert (record.source, record.status) == ("backfill", "pending")  # not stuck in "entered"
    assert "补录活动" in client.get("/portal/certification/").content.decode()
    client.post(f"/certification/portal/records/{record.pk}/approve/")
    record.refresh_from_db()
    assert record.status == "pending"  # R12: not by the one who entered it
    client.force_login(manager2)
    client.post(f"/certification/portal/records/{record.pk}/approve/")
    record.refresh_from_db()
    assert record.status == "approved" and record.reviewed_by == manager2
