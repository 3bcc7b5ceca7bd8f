"""The periodic sweep keeps going when one case cannot move, and a record a request in
progress stands on cannot be deleted from under it (R7, R15)."""
from datetime import timedelta

import pytest

from engine.cases.actions import task_complete
from engine.cases.errors import StateConflict
from engine.cases.models import TaskRoute
from processes.certification.models import CertificateRequest, ServiceRecord
from processes.certification.services.registry import record_delete
from processes.certification.services.requests import request_create
from processes.certification.tasks import run_sweep

from .conftest import approved, make_activity

pytestmark = pytest.mark.django_db


def noticed(vol_user, volunteer, org, manager, record):
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org, record_ids=[record.pk])
    route = TaskRoute.objects.get(reference=case.reference, state__in=["open", "claimed"])
    task_complete(actor=manager, task_id=route.pk, decision="issue")
    case.refresh_from_db()
    assert case.status == "notice"
    return case


def test_a_record_in_a_request_under_notice_cannot_be_deleted(settings, org, manager, volunteer, vol_user,
                                                              approved_record):
    settings.CERTIFICATION_PUBLIC_NOTICE = True
    noticed(vol_user, volunteer, org, manager, approved_record)
    with pytest.raises(StateConflict):
        record_delete(actor=manager, record_id=approved_record.pk, reason="误录")
    assert not ServiceRecord.objects.get(pk=approved_record.pk).is_deleted


def test_one_stuck_notice_does_not_stop_the_others(settings, org, manager, volunteer, vol_user, approved_record):
    settings.CERTIFICATION_PUBLIC_NOTICE = True
    other = approved(manager, volunteer, make_activity(org, manager, name="第二次活动"), 2)
    stuck = noticed(vol_user, volunteer, org, manager, approved_record)
    fine = noticed(vol_user, volunteer, org, manager, other)
    ServiceRecord.objects.filter(pk=approved_record.pk).update(is_deleted=True)  # as if behind the service's back
    done = run_sweep(fine.notice_until + timedelta(minutes=1))
    assert done["notices"] == 1
    assert CertificateRequest.objects.get(pk=fine.pk).status == "issued"
    assert CertificateRequest.objects.get(pk=stuck.pk).status == "notice"

