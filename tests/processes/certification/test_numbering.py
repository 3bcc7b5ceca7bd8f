"""A request or dispute takes its reference number at the end of its creation: the task routes,
the managers' notifications and the audit events written during it carry the final number."""
import re

import pytest

from engine.audit.chain import event_hash
from engine.audit.models import AuditEvent
from engine.cases.models import TaskRoute
from engine.notifications.models import Notification
from processes.certification.services.disputes import dispute_file
from processes.certification.services.requests import request_create

pytestmark = pytest.mark.django_db
FINAL = re.compile(r"^(ZM|YY)-\d{4}-\d{6}$")


def assert_final_everywhere(case):
    assert FINAL.match(case.reference), case.reference
    assert type(case).objects.get(pk=case.pk).reference == case.reference
    routes = TaskRoute.objects.filter(case_id=case.pk, case_type__model=case._meta.model_name)
    assert routes and all(r.reference == case.reference and r.case_title.startswith(case.reference) for r in routes)
    notes = Notification.objects.filter(reference=case.reference)
    assert notes and all(case.reference in n.title and case.reference in n.body for n in notes)
    events = AuditEvent.objects.filter(reference=case.reference)
    assert events and all(e.hash == event_hash(e) for e in events)
    for model, fields in ((TaskRoute, ("reference", "case_title")), (Notification, ("reference", "title", "body")),
                          (AuditEvent, ("reference", "reason"))):
        for name in fields:
            assert not model.objects.filter(**{f"{name}__contains": "~"}).exists(), (model, name)


def test_a_request_carries_its_final_number_in_routes_notifications_and_trail(vol_user, volunteer, org, manager,
                                                                              approved_record):
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org, purpose="升学")
    assert_final_everywhere(case)
    assert AuditEvent.objects.filter(reference=case.reference, action="task.assign").exists()


def test_a_dispute_carries_its_final_number_in_routes_notifications_and_trail(vol_user, manager, approved_record):
    case = dispute_file(actor=vol_user, record=approved_record, claim="实际服务8小时", claimed_hours="8")
    assert_final_everywhere(case)
