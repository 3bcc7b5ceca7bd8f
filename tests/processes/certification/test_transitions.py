"""The remaining transitions' refusals and audit events (every transition: happy path,
wrong state, wrong actor, audit)."""
from datetime import timedelta

import pytest
from django.utils import timezone

from engine.audit.models import AuditEvent
from engine.cases.actions import task_complete
from engine.cases.errors import NotAllowed, RuleViolation, StateConflict
from engine.cases.models import TaskRoute
from processes.certification.models import Certificate
from processes.certification.services.certificates import certificate_revoke
from processes.certification.services.disputes import dispute_file
from processes.certification.services.registry import record_correct, record_delete, record_enter, record_submit
from processes.certification.services.reports import report_file
from processes.certification.services.requests import request_create, request_end_notice
from processes.certification.tasks import run_sweep
from tests.factories import OrganizationFactory, UserFactory, org_user

pytestmark = pytest.mark.django_db


def open_route(case):
    return TaskRoute.objects.get(reference=case.reference, state__in=["open", "claimed"])


def actions(reference=None):
    qs = AuditEvent.objects.all()
    return set((qs.filter(reference=reference) if reference else qs).values_list("action", flat=True))


def test_record_submit_refusals_and_audit(volunteer, activity, manager):
    record = record_enter(actor=manager, volunteer=volunteer, id_number=volunteer.id_number, activity=activity, hours=2, source="backfill")
    with pytest.raises(NotAllowed):
        record_submit(actor=org_user(OrganizationFactory()), record_id=record.pk)
    record_submit(actor=manager, record_id=record.pk)
    with pytest.raises(StateConflict):
        record_submit(actor=manager, record_id=record.pk)
    event = AuditEvent.objects.get(action="certification.record.submit")
    assert (event.before["status"], event.after["status"], event.actor_id) == ("entered", "pending", manager.pk)


def test_record_delete_refusals_and_audit(volunteer, vol_user, org, manager, approved_record):
    with pytest.raises(NotAllowed):
        record_delete(actor=vol_user, record_id=approved_record.pk, reason="x")
    with pytest.raises(RuleViolation):
        record_delete(actor=manager, record_id=approved_record.pk, reason="")
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org)
    task_complete(actor=manager, task_id=open_route(case).pk, decision="issue")
    with pytest.raises(StateConflict):  # a valid certificate stands on it: correct through a dispute
        record_delete(actor=manager, record_id=approved_record.pk, reason="误录")

    certificate_revoke(actor=manager, number=Certificate.objects.get().number, reason="误发")
    record_delete(actor=manager, record_id=approved_record.pk, reason="误录")
    with pytest.raises(StateConflict):
        record_delete(actor=manager, record_id=approved_record.pk, reason="再删")
    assert AuditEvent.objects.filter(action="certification.record.delete", reason="误录").exists()


def test_seal_refusals_and_audit(volunteer, vol_user, org, manager, approved_record):
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org, seal_requested=True)
    task_complete(actor=manager, task_id=open_route(case).pk, decision="issue")
    seal = open_route(case)
    with pytest.raises(NotAllowed):
        task_complete(actor=vol_user, task_id=seal.pk, decision="seal")
    with pytest.raises(RuleViolation):
        task_complete(actor=manager, task_id=seal.pk, decision="issue")  # not a decision of this step
    task_complete(actor=manager, task_id=seal.pk, decision="seal")
    with pytest.raises(StateConflict):
        task_complete(actor=manager, task_id=seal.pk, decision="seal")
    assert {"certification.seal.seal", "certification.certificate.issue"} <= actions()


def test_notice_cannot_end_early_and_is_audited(settings, volunteer, vol_user, org, manager, approved_record):
    settings.CERTIFICATION_PUBLIC_NOTICE = True
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org)
    task_complete(actor=manager, task_id=open_route(case).pk, decision="issue")
    case.refresh_from_db()
    with pytest.raises(StateConflict):
        request_end_notice(case_id=case.pk)
    request_end_notice(case_id=case.pk, now=case.notice_until + timedelta(seconds=1))
    assert "certification.request.end_notice" in actions(case.reference)


def test_dispute_file_refuse_and_close_are_audited(approved_record, vol_user, manager):
    dispute = dispute_file(actor=vol_user, record=approved_record, claim="应为8小时", claimed_hours=8)
    with pytest.raises(NotAllowed):
        task_complete(actor=UserFactory(), task_id=open_route(dispute).pk, decision="refuse", reason="x")
    task_complete(actor=manager, task_id=open_route(dispute).pk, decision="refuse", reason="不符")
    dispute.refresh_from_db()
    run_sweep(dispute.appeal_until + timedelta(seconds=1))
    assert {"certification.dispute.file", "certification.organizer_review.refuse",
            "certification.dispute.close"} <= actions(dispute.reference)


def test_disputes_on_deleted_or_superseded_things_are_refused(approved_record, vol_user, manager, volunteer, org):
    new = record_correct(actor=manager, record=approved_record, hours=5, reason="更正")
    with pytest.raises(StateConflict):
        dispute_file(actor=vol_user, record=approved_record, claim="旧版本")
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org)
    task_complete(actor=manager, task_id=open_route(case).pk, decision="issue")
    cert = Certificate.objects.get()

    certificate_revoke(actor=manager, number=cert.number, reason="误发")
    with pytest.raises(StateConflict):
        dispute_file(actor=vol_user, certificate=Certificate.objects.get(), claim="已撤销")
    assert new.is_current


def test_report_dismiss_and_wrong_state(mca_city):
    report = report_file(number="ZS-2026-999999", code="X", reporter_name="某校", reporter_contact="0371",
                         description="查无此证")
    assert report.verification_result == "not_found" and report.certificate is None
    route = open_route(report)
    with pytest.raises(RuleViolation):
        task_complete(actor=mca_city["staff"], task_id=route.pk, decision="dismiss", reason="")
    task_complete(actor=mca_city["staff"], task_id=route.pk, decision="dismiss", reason="证明编号输入有误，实为有效证明")
    report.refresh_from_db()
    assert report.status == "dismissed"
    with pytest.raises(StateConflict):
        task_complete(actor=mca_city["staff"], task_id=route.pk, decision="confirm", reason="x")
    assert {"certification.report.file", "certification.investigate.dismiss"} <= actions(report.reference)
    assert report.created_at <= timezone.now()
