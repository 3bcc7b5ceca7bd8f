"""Audit events of the registry writes that had none asserted, and the refusals around them:
activities (R1), record entry (R1, R3, R12), withdrawal after issue."""
from datetime import timedelta

import pytest
from django.utils import timezone

from engine.audit.models import AuditEvent
from engine.cases.actions import task_complete
from engine.cases.errors import NotAllowed, RuleViolation, StateConflict
from engine.cases.models import TaskRoute
from engine.directory.services import organization_end
from processes.certification.models import Activity, ServiceRecord
from processes.certification.services.registry import activity_create, record_enter
from processes.certification.services.requests import request_create, request_withdraw
from tests.factories import OrganizationFactory, member, org_user

pytestmark = pytest.mark.django_db


def test_activity_create_audited_and_refused_to_outsiders_and_ended_organizations(org, manager):
    end = timezone.now() - timedelta(days=1)
    kwargs = dict(name="义诊", place="郑州", start_at=end - timedelta(hours=3), end_at=end, person_in_charge="钱")
    with pytest.raises(NotAllowed):
        activity_create(actor=org_user(OrganizationFactory()), organization=org, **kwargs)
    with pytest.raises(RuleViolation):
        activity_create(actor=manager, organization=org, **{**kwargs, "end_at": kwargs["start_at"]})
    activity = activity_create(actor=manager, organization=org, **kwargs)
    event = AuditEvent.objects.get(action="certification.activity.create")
    assert (event.actor, event.object_id, event.after) == (manager, str(activity.pk), {"name": "义诊", "organization": org.pk})
    organization_end(actor=member("mca-jinshui", "head", username="js_head"), organization=org, status="dissolved",
                     reason="注销")
    with pytest.raises(StateConflict):
        activity_create(actor=manager, organization=org, **kwargs)
    assert Activity.objects.count() == 1


def test_record_enter_audited_with_hours_source_and_late_flag(volunteer, activity, manager):
    with pytest.raises(NotAllowed):
        record_enter(actor=org_user(OrganizationFactory()), volunteer=volunteer, id_number=volunteer.id_number, activity=activity, hours=2)
    assert not AuditEvent.objects.filter(action="certification.record.enter").exists()
    record = record_enter(actor=manager, volunteer=volunteer, id_number=volunteer.id_number, activity=activity, hours="2.5", source="backfill")
    event = AuditEvent.objects.get(action="certification.record.enter")
    assert event.actor == manager and event.object_id == str(record.pk)
    assert event.after == {"status": "entered", "hours": "2.50", "source": "backfill", "late": False}
    assert ServiceRecord.objects.get().hours == record.hours


def test_withdraw_after_issue_is_a_conflict(vol_user, volunteer, org, manager, approved_record):
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org)
    task_complete(actor=manager, task_id=TaskRoute.objects.get(reference=case.reference).pk, decision="issue")
    with pytest.raises(StateConflict):
        request_withdraw(actor=vol_user, reference=case.reference)
    assert not AuditEvent.objects.filter(action="certification.request.withdraw").exists()
