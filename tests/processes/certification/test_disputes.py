"""Disputes: organizer review, correction as new versions, reissue and supersede, appeal,
escalation, R9 routing, authenticity reports."""
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from engine.audit.models import AuditEvent
from engine.cases.actions import task_complete
from engine.cases.errors import NotAllowed, RuleViolation, StateConflict
from engine.cases.models import TaskRoute
from engine.cases.sla import sweep
from engine.directory.models import Department
from engine.directory.services import organization_end
from processes.certification import signing
from processes.certification.models import Certificate, ServiceRecord
from processes.certification.services.certificates import certificate_verify
from processes.certification.services.disputes import dispute_appeal, dispute_file
from processes.certification.services.reports import report_file
from processes.certification.services.requests import request_create
from processes.certification.tasks import run_sweep
from processes.certification.tasks import sweep as sweep_task
from tests.factories import OrganizationFactory, UserFactory, member, org_user

pytestmark = pytest.mark.django_db


def open_route(case, node=None):
    qs = TaskRoute.objects.filter(reference=case.reference, state__in=["open", "claimed"])
    return qs.get(node=node) if node else qs.get()


@pytest.fixture
def certificate(org, manager, volunteer, vol_user, approved_record):
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org)
    task_complete(actor=manager, task_id=open_route(case).pk, decision="issue")
    return Certificate.objects.get(request=case)


def test_only_the_volunteer_disputes_their_own_record(approved_record, manager):
    with pytest.raises(NotAllowed):
        dispute_file(actor=manager, record=approved_record, claim="不对")
    with pytest.raises(RuleViolation):
        dispute_file(actor=approved_record.volunteer.user, record=approved_record, claim=" ")


def test_upheld_dispute_corrects_record_and_supersedes_certificate(certificate, approved_record, vol_user, manager):
    dispute = dispute_file(actor=vol_user, record=approved_record, claim="实际服务8小时", claimed_hours="8")
    assert dispute.reference.startswith("YY-")
    route = open_route(dispute, "organizer_review")
    assert route.owner == manager
    with pytest.raises(StateConflict):
        dispute_file(actor=vol_user, record=approved_record, claim="再次")
    task_complete(actor=manager, task_id=route.pk, decision="uphold", reason="核对签到表属实")
    dispute.refresh_from_db()
    assert dispute.status == "upheld"
    new_record = ServiceRecord.objects.get(previous=approved_record)
    assert new_record.hours == Decimal("8.00") and new_record.version == 2 and new_record.status == "approved"
    old_row = ServiceRecord.objects.get(pk=approved_record.pk)
    assert old_row.hours == Decimal("6.50") and not old_row.is_current  # every version kept (R6)
    certificate.refresh_from_db()
    replacement = certificate.superseded_by
    assert certificate.status == "superseded" and replacement.total_hours == Decimal("8.00")
    assert replacement.snapshot[0]["id"] == new_record.pk
    old = certificate_verify(number=certificate.number, code=certificate.verification_code)
    assert old["result"] == "superseded" and old["superseded_by"] == replacement.number
    assert certificate_verify(number=replacement.number, code=replacement.verification_code)["result"] == "valid"
    event = AuditEvent.objects.get(action="certification.organizer_review.uphold")
    assert event.after["reissued"] == [replacement.number]
    assert AuditEvent.objects.filter(action="certification.certificate.supersede").exists()
    assert AuditEvent.objects.filter(action="certification.record.correct").exists()


def test_dispute_on_certificate_with_corrections(certificate, approved_record, vol_user, manager):
    dispute = dispute_file(actor=vol_user, certificate=certificate, claim="时长有误")
    route = open_route(dispute)
    with pytest.raises(RuleViolation):  # no hours given
        task_complete(actor=manager, task_id=route.pk, decision="uphold", reason="属实")
    with pytest.raises(RuleViolation):  # a record outside the dispute
        task_complete(actor=manager, task_id=route.pk, decision="uphold", reason="属实",
                      data={"corrections": [{"record": approved_record.pk + 999, "hours": "1"}]})
    task_complete(actor=manager, task_id=route.pk, decision="uphold", reason="属实",
                  data={"corrections": [{"record": approved_record.pk, "hours": "7"}]})
    certificate.refresh_from_db()
    assert certificate.status == "superseded" and certificate.superseded_by.total_hours == Decimal("7.00")


def test_refusal_then_appeal_to_supervising_department(approved_record, vol_user, manager, mca_jinshui):
    dispute = dispute_file(actor=vol_user, record=approved_record, claim="应为8小时", claimed_hours=8)
    route = open_route(dispute)
    with pytest.raises(RuleViolation):
        task_complete(actor=manager, task_id=route.pk, decision="refuse", reason="")
    task_complete(actor=manager, task_id=route.pk, decision="refuse", reason="签到记录为6.5小时")
    dispute.refresh_from_db()
    assert dispute.status == "refused" and dispute.appeal_until > timezone.now() + timedelta(days=14)
    with pytest.raises(NotAllowed):
        dispute_appeal(actor=manager, reference=dispute.reference, reason="x")
    dispute_appeal(actor=vol_user, reference=dispute.reference, reason="有照片为证")
    dispute.refresh_from_db()
    assert dispute.status == "supervisor_review"
    review = open_route(dispute, "supervisor_review")
    assert review.department.code == "mca-jinshui" and review.role == "reviewer" and review.owner is None
    with pytest.raises(NotAllowed):
        task_complete(actor=manager, task_id=review.pk, decision="uphold", reason="x")
    task_complete(actor=mca_jinshui["reviewer"], task_id=review.pk, decision="refuse", reason="证据不足")
    dispute.refresh_from_db()
    assert dispute.status == "refused_final"
    assert AuditEvent.objects.filter(action="certification.dispute.appeal").exists()
    assert AuditEvent.objects.filter(action="certification.supervisor_review.refuse").exists()


def test_supervisor_upholds_appeal(approved_record, vol_user, manager, mca_jinshui):
    dispute = dispute_file(actor=vol_user, record=approved_record, claim="应为8小时", claimed_hours=8)
    task_complete(actor=manager, task_id=open_route(dispute).pk, decision="refuse", reason="不符")
    dispute_appeal(actor=vol_user, reference=dispute.reference, reason="申诉")
    task_complete(actor=mca_jinshui["reviewer"], task_id=open_route(dispute).pk, decision="uphold", reason="属实")
    dispute.refresh_from_db()
    assert dispute.status == "upheld"
    assert ServiceRecord.objects.counting().get(volunteer=approved_record.volunteer).hours == Decimal("8.00")


def test_appeal_after_the_period_is_refused_and_sweep_closes(settings, approved_record, vol_user, manager):
    settings.CERTIFICATION_APPEAL_DAYS = 3
    dispute = dispute_file(actor=vol_user, record=approved_record, claim="应为8小时", claimed_hours=8)
    task_complete(actor=manager, task_id=open_route(dispute).pk, decision="refuse", reason="不符")
    dispute.refresh_from_db()
    assert dispute.appeal_until < timezone.now() + timedelta(days=4)
    later = dispute.appeal_until + timedelta(minutes=1)

    with time_machine.travel(later, tick=False):
        with pytest.raises(StateConflict):
            dispute_appeal(actor=vol_user, reference=dispute.reference, reason="晚了")
    assert run_sweep(later)["disputes"] == 1
    dispute.refresh_from_db()
    assert dispute.status == "closed" and dispute.flow_process.status == "DONE"


def test_overdue_organizer_review_escalates_to_supervising_department(approved_record, vol_user, mca_jinshui, manager):
    dispute = dispute_file(actor=vol_user, record=approved_record, claim="应为8小时", claimed_hours=8)
    route = open_route(dispute)
    sweep(route.due_at + timedelta(minutes=1))  # flags overdue
    route.refresh_from_db()
    sweep(route.escalate_after + timedelta(minutes=1))  # escalates
    dispute.refresh_from_db()
    route.refresh_from_db()
    assert dispute.status == "supervisor_review" and dispute.escalated
    assert route.department.code == "mca-jinshui" and route.role == "reviewer" and route.owner is None
    with pytest.raises(NotAllowed):
        task_complete(actor=manager, task_id=route.pk, decision="uphold", reason="迟到")
    task_complete(actor=mca_jinshui["reviewer"], task_id=route.pk, decision="uphold", reason="逾期，按主张更正")
    dispute.refresh_from_db()
    assert dispute.status == "upheld"
    assert AuditEvent.objects.filter(action="certification.dispute.escalate").exists()


def test_dissolved_issuer_dispute_goes_to_successor(org, approved_record, vol_user):
    successor = OrganizationFactory(name="承接组织")
    successor_mgr = org_user(successor, username="succ_mgr")
    organization_end(actor=member("mca-jinshui", "head", username="h"), organization=org, status="dissolved",
                     successor=successor, reason="注销")
    dispute = dispute_file(actor=vol_user, record=approved_record, claim="应为8小时", claimed_hours=8)
    route = open_route(dispute)
    assert dispute.handling_organization == successor and route.owner == successor_mgr
    task_complete(actor=successor_mgr, task_id=route.pk, decision="uphold", reason="承接单位核实")
    dispute.refresh_from_db()
    assert dispute.status == "upheld"


def test_dissolved_issuer_without_successor_dispute_goes_to_supervising_department(
        org, approved_record, vol_user, mca_jinshui):
    organization_end(actor=member("mca-jinshui", "head", username="h"), organization=org, status="dissolved",
                     reason="注销")
    dispute = dispute_file(actor=vol_user, record=approved_record, claim="应为8小时", claimed_hours=8)
    route = open_route(dispute)
    assert dispute.handling_organization is None and route.owner is None
    assert route.department == org.supervising_department and route.role == "staff"
    task_complete(actor=mca_jinshui["staff"], task_id=route.pk, decision="refuse", reason="无法核实")
    dispute.refresh_from_db()
    assert dispute.status == "refused"


def test_third_party_report_opens_case_in_city_mca_queue(certificate, mca_city):
    Certificate.objects.filter(pk=certificate.pk).update(total_hours=Decimal("999"))
    report = report_file(number=certificate.number, code=certificate.verification_code,
                         reporter_name="某中学", reporter_contact="0371-1", description="核验显示无效")
    assert report.verification_result == "invalid" and report.certificate == certificate
    route = open_route(report, "investigate")
    assert route.department == Department.objects.get(code="mca") and route.role == "staff"
    with pytest.raises(NotAllowed):
        task_complete(actor=UserFactory(), task_id=route.pk, decision="confirm", reason="x")
    task_complete(actor=mca_city["staff"], task_id=route.pk, decision="confirm", reason="数据库被篡改",
                  data={"revoke": True})
    report.refresh_from_db()
    certificate.refresh_from_db()
    assert report.status == "confirmed" and certificate.status == "revoked"
    assert AuditEvent.objects.filter(action="certification.investigate.confirm").exists()
    with pytest.raises(RuleViolation):
        report_file(number="", reporter_name="", reporter_contact="", description="")


def test_organizer_review_due_in_ten_working_days_by_default_R6(approved_record, vol_user):
    dispute = dispute_file(actor=vol_user, record=approved_record, claim="应为8小时", claimed_hours=8)
    route = open_route(dispute)
    assert route.sla_working_days == 10 and route.due_at > route.created_at + timedelta(days=11)


def test_signature_checks_the_key_it_names(certificate, settings, tmp_path):
    old_pem = signing.public_key_pem()
    old_id = certificate.key_id
    settings.CERTIFICATION_DEV_KEY_PATH = tmp_path / "rotated.pem"  # a new signing key
    assert signing.key_id() != old_id and not signing.verify(certificate)
    settings.CERTIFICATION_PREVIOUS_PUBLIC_KEYS = {old_id: old_pem}
    assert signing.verify(certificate)


def test_supervisor_sees_escalated_dispute_in_the_workbench(client, approved_record, vol_user, manager, mca_jinshui):
    dispute = dispute_file(actor=vol_user, record=approved_record, claim="应为8小时", claimed_hours=8)
    task_complete(actor=manager, task_id=open_route(dispute).pk, decision="refuse", reason="不符")
    dispute_appeal(actor=vol_user, reference=dispute.reference, reason="申诉")
    route = open_route(dispute)
    client.force_login(mca_jinshui["reviewer"])
    assert dispute.reference in client.get("/workbench/tasks/queue/").content.decode()
    page = client.get(f"/workbench/tasks/task/{route.pk}/")
    assert page.status_code == 200 and "复核异议" in page.content.decode()
    assert client.get(f"/workbench/tasks/case/{dispute.reference}/").status_code == 200


def test_one_record_certificate_dispute_upheld_with_hours_only(certificate, vol_user, manager):
    dispute = dispute_file(actor=vol_user, certificate=certificate, claim="时长有误")
    task_complete(actor=manager, task_id=open_route(dispute).pk, decision="uphold", reason="属实", data={"hours": "7.25"})
    certificate.refresh_from_db()
    assert certificate.superseded_by.total_hours == Decimal("7.25")


def test_beat_task_runs_the_sweep():
    assert sweep_task.delay().get() == {"notices": 0, "disputes": 0, "rerouted": 0}
