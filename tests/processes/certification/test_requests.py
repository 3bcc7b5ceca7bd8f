"""Certificate requests and certificates: R7–R10, R15, D2, audit."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from engine.audit.models import AuditEvent
from engine.cases.actions import task_claim, task_complete
from engine.cases.errors import NotAllowed, RuleViolation, StateConflict
from engine.cases.models import TaskRoute
from engine.cases.selectors import task_queue
from engine.cases.sla import sweep
from engine.directory.services import organization_end
from processes.certification import signing
from processes.certification.models import Certificate, CertificateRequest
from processes.certification.services.certificates import certificate_revoke, certificate_verify
from processes.certification.services.registry import activity_create, volunteer_register
from processes.certification.services.requests import request_create, request_withdraw
from processes.certification.tasks import run_sweep
from tests.factories import OrganizationFactory, UserFactory, member, org_user

from .conftest import approved, id_number

pytestmark = pytest.mark.django_db


def open_route(case, node=None):
    qs = TaskRoute.objects.filter(reference=case.reference, state__in=["open", "claimed"])
    return qs.get(node=node) if node else qs.get()


@pytest.fixture
def request_case(vol_user, volunteer, org, approved_record, manager):
    return request_create(actor=vol_user, volunteer=volunteer, organization=org, purpose="升学")


def test_request_routes_to_supervising_department_and_is_handed_to_the_manager(request_case, org, manager):
    route = open_route(request_case, "verify")
    assert route.department == org.supervising_department and route.role == "staff"
    assert route.owner == manager and route.state == "claimed"
    assert route.due_at > route.created_at  # working-day due time (D2)
    assert request_case.reference.startswith("ZM-")
    assert request_case.handling_organization == org
    assert AuditEvent.objects.filter(reference=request_case.reference, action="certification.request.create").exists()


def test_issue_happy_path_creates_signed_registered_certificate(request_case, manager, approved_record):
    task_complete(actor=manager, task_id=open_route(request_case).pk, decision="issue")
    request_case.refresh_from_db()
    assert request_case.status == "issued"
    cert = request_case.certificates.get()
    year = timezone.localdate().year
    assert cert.number == f"ZS-{year}-000001" and len(cert.verification_code) == 8
    assert cert.total_hours == Decimal("6.50") and cert.snapshot[0]["id"] == approved_record.pk
    assert cert.volunteer_id_masked.count("*") == 10 and cert.issuer_name == request_case.organization.name
    assert signing.verify(cert)
    assert not TaskRoute.objects.open().filter(reference=request_case.reference).exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"certification.verify.issue", "certification.certificate.issue"} <= actions
    result = certificate_verify(number=cert.number, code=cert.verification_code.lower())
    assert result["result"] == "valid" and result["total_hours"] == "6.50" and result["volunteer"] == "李*萌"


def test_numbers_are_gap_free_per_year(org, manager, volunteer, approved_record, vol_user):
    for _ in range(2):
        case = request_create(actor=vol_user, volunteer=volunteer, organization=org)
        task_complete(actor=manager, task_id=open_route(case).pk, decision="issue")
    year = timezone.localdate().year
    assert sorted(Certificate.objects.values_list("number", flat=True)) == [
        f"ZS-{year}-000001", f"ZS-{year}-000002"]


def test_refuse_needs_reason_and_outsiders_are_refused(request_case, manager, mca_jinshui):
    route = open_route(request_case)
    with pytest.raises(RuleViolation):
        task_complete(actor=manager, task_id=route.pk, decision="refuse", reason="")
    with pytest.raises(NotAllowed):  # department staff may not certify while the org answers (R1)
        task_complete(actor=mca_jinshui["staff"], task_id=route.pk, decision="issue")
    with pytest.raises(NotAllowed):
        task_complete(actor=org_user(OrganizationFactory()), task_id=route.pk, decision="issue")
    task_complete(actor=manager, task_id=route.pk, decision="refuse", reason="记录与活动签到不符")
    request_case.refresh_from_db()
    assert request_case.status == "refused" and request_case.refusal_reason == "记录与活动签到不符"
    assert not Certificate.objects.exists()
    assert AuditEvent.objects.filter(action="certification.verify.refuse", reason="记录与活动签到不符").exists()


def test_another_manager_of_the_organization_may_take_over(request_case, manager2):
    task_complete(actor=manager2, task_id=open_route(request_case).pk, decision="issue")
    request_case.refresh_from_db()
    assert request_case.status == "issued"


def test_wrong_state_is_a_conflict(request_case, manager, vol_user):
    route = open_route(request_case)
    task_complete(actor=manager, task_id=route.pk, decision="issue")
    with pytest.raises(StateConflict):
        task_complete(actor=manager, task_id=route.pk, decision="issue")
    with pytest.raises(StateConflict):
        request_withdraw(actor=vol_user, reference=request_case.reference)


def test_request_needs_approved_records_and_own_volunteer(org, volunteer, vol_user, manager):
    with pytest.raises(RuleViolation):
        request_create(actor=vol_user, volunteer=volunteer, organization=org)
    with pytest.raises(NotAllowed):
        request_create(actor=UserFactory(), volunteer=volunteer, organization=org)
    with pytest.raises(NotAllowed):  # volunteer has an account: the organization may not ask for them
        request_create(actor=manager, volunteer=volunteer, organization=org)


def test_organization_requests_on_behalf_of_unregistered_volunteer_R7(org, manager, activity):
    v = volunteer_register(actor=manager, organization=org, real_name="王大力", id_number=id_number(9),
                           consent=True)
    approved(manager, v, activity, 2)  # no account: the manager signs them in and out on the spot
    case = request_create(actor=manager, volunteer=v, organization=org)
    assert case.on_behalf
    task_complete(actor=manager, task_id=open_route(case).pk, decision="issue")
    assert Certificate.objects.get(volunteer=v).total_hours == Decimal("2.00")


def test_seal_step_only_when_requested_R8(org, manager, volunteer, vol_user, approved_record):
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org, seal_requested=True)
    task_complete(actor=manager, task_id=open_route(case, "verify").pk, decision="issue")
    case.refresh_from_db()
    assert case.status == "sealing" and not Certificate.objects.exists()
    seal = open_route(case, "seal")
    assert seal.owner == manager
    task_complete(actor=manager, task_id=seal.pk, decision="seal")
    case.refresh_from_db()
    assert case.status == "issued" and case.certificates.get().sealed


def test_public_notice_when_the_setting_is_on_R15(settings, org, manager, volunteer, vol_user, approved_record):
    settings.CERTIFICATION_PUBLIC_NOTICE = True
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org)
    task_complete(actor=manager, task_id=open_route(case).pk, decision="issue")
    case.refresh_from_db()
    assert case.status == "notice" and not Certificate.objects.exists()
    assert run_sweep(timezone.now()) == {"notices": 0, "disputes": 0, "rerouted": 0}
    assert run_sweep(case.notice_until + timedelta(minutes=1))["notices"] == 1
    case.refresh_from_db()
    assert case.status == "issued" and case.certificates.count() == 1
    assert case.flow_process.status == "DONE"


def test_withdraw_cancels_the_task(request_case, vol_user, manager):
    with pytest.raises(NotAllowed):
        request_withdraw(actor=manager, reference=request_case.reference)
    request_withdraw(actor=vol_user, reference=request_case.reference, reason="不需要了")
    request_case.refresh_from_db()
    assert request_case.status == "withdrawn"
    assert not TaskRoute.objects.open().filter(reference=request_case.reference).exists()
    assert AuditEvent.objects.filter(action="certification.request.withdraw").exists()


def test_dissolved_issuer_without_successor_goes_to_supervising_department_R9(
        org, manager, volunteer, vol_user, approved_record, mca_jinshui):
    head = member("mca-jinshui", "head", username="js_head")
    organization_end(actor=head, organization=org, status="dissolved", reason="注销")
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org)
    route = open_route(case)
    assert case.handling_organization is None and route.owner is None
    assert route.department.code == "mca-jinshui"
    with pytest.raises(NotAllowed):
        task_claim(actor=manager, task_id=route.pk)
    task_complete(actor=mca_jinshui["staff"], task_id=route.pk, decision="issue")
    cert = Certificate.objects.get()
    assert cert.issuer is None and cert.issuer_name == route.department.name


def test_merged_issuer_routes_to_successor_R9(org, manager, volunteer, vol_user, approved_record):
    successor = OrganizationFactory(name="承接组织")
    successor_mgr = org_user(successor, username="succ_mgr")
    head = member("mca-jinshui", "head", username="js_head")
    organization_end(actor=head, organization=org, status="merged", successor=successor, reason="合并")
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org)
    route = open_route(case)
    assert case.handling_organization == successor and route.owner == successor_mgr
    with pytest.raises(NotAllowed):
        task_complete(actor=manager, task_id=route.pk, decision="issue")
    task_complete(actor=successor_mgr, task_id=route.pk, decision="issue")
    cert = Certificate.objects.get()
    assert cert.issuer == successor and cert.recording_organization == org.name


def test_altered_hours_fail_verification_and_wrong_code_is_not_found(request_case, manager):
    task_complete(actor=manager, task_id=open_route(request_case).pk, decision="issue")
    cert = Certificate.objects.get()
    assert certificate_verify(number=cert.number, code="WRONGCOD") == certificate_verify(number="ZS-1999-000001", code="X")
    assert certificate_verify(number=cert.number, code="")["result"] == "not_found"
    Certificate.objects.filter(pk=cert.pk).update(total_hours=Decimal("600.00"))
    result = certificate_verify(number=cert.number, code=cert.verification_code)
    assert result["result"] == "invalid" and "total_hours" not in result


def test_revoke_by_issuer_with_reason(request_case, manager, vol_user):
    task_complete(actor=manager, task_id=open_route(request_case).pk, decision="issue")
    cert = Certificate.objects.get()
    with pytest.raises(NotAllowed):
        certificate_revoke(actor=vol_user, number=cert.number, reason="x")
    with pytest.raises(RuleViolation):
        certificate_revoke(actor=manager, number=cert.number, reason="")
    certificate_revoke(actor=manager, number=cert.number, reason="误发")
    assert certificate_verify(number=cert.number, code=cert.verification_code)["result"] == "revoked"
    with pytest.raises(StateConflict):
        certificate_revoke(actor=manager, number=cert.number, reason="再次")


def test_certificate_request_statuses_are_protected(request_case):
    with pytest.raises(AttributeError):
        request_case.status = CertificateRequest.Status.ISSUED


def test_organization_without_accounts_is_served_by_the_supervising_department(volunteer, vol_user, mca_jinshui):
    org = OrganizationFactory(name="无账号组织")
    temp = org_user(org, username="temp_mgr")
    end = timezone.now() - timedelta(days=1)
    act = activity_create(actor=temp, organization=org, name="活动", place="郑州", start_at=end - timedelta(hours=3),
                          end_at=end, person_in_charge="某")
    approved(temp, volunteer, act, 2)
    org.organizationmember_set.all().delete()
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org)
    route = open_route(case)
    assert route.owner is None
    task_complete(actor=mca_jinshui["staff"], task_id=route.pk, decision="issue")
    case.refresh_from_db()
    assert case.status == "issued"


def test_overdue_request_escalates_and_the_superior_department_may_issue(request_case, manager):
    route = open_route(request_case)
    sweep(route.due_at + timedelta(minutes=1))
    route.refresh_from_db()
    sweep(route.escalate_after + timedelta(minutes=1))
    route.refresh_from_db()
    assert route.department.code == "mca" and route.escalation_level == 1 and route.owner is None
    city_staff = member("mca", "staff", username="city_staff")
    task_complete(actor=city_staff, task_id=route.pk, decision="issue")
    request_case.refresh_from_db()
    assert request_case.status == "issued"


def test_open_request_follows_the_issuer_when_it_merges_R9(request_case, org, manager):
    successor = OrganizationFactory(name="后来的承接组织")
    successor_mgr = org_user(successor, username="late_succ")
    organization_end(actor=member("mca-jinshui", "head", username="h2"), organization=org, status="merged",
                     successor=successor, reason="合并")
    route = open_route(request_case)
    with pytest.raises(NotAllowed):  # the old organization's manager no longer certifies
        task_complete(actor=manager, task_id=route.pk, decision="issue")
    assert run_sweep(timezone.now())["rerouted"] == 1
    request_case.refresh_from_db()
    route.refresh_from_db()
    assert request_case.handling_organization == successor and route.owner == successor_mgr
    assert AuditEvent.objects.filter(action="certification.reroute", reference=request_case.reference).exists()
    task_complete(actor=successor_mgr, task_id=route.pk, decision="issue")
    assert Certificate.objects.get().issuer == successor


def test_successor_may_act_before_the_sweep_R9(request_case, org):
    successor = OrganizationFactory(name="即时承接组织")
    successor_mgr = org_user(successor, username="now_succ")
    organization_end(actor=member("mca-jinshui", "head", username="h3"), organization=org, status="dissolved",
                     successor=successor, reason="注销")
    task_complete(actor=successor_mgr, task_id=open_route(request_case).pk, decision="issue")
    assert Certificate.objects.get().issuer == successor


def test_hand_over_and_take_over_are_audited(request_case, manager, manager2):
    route = open_route(request_case)
    handed = AuditEvent.objects.get(action="task.assign", reference=request_case.reference)
    assert handed.after["owner"] == manager.pk
    task_complete(actor=manager2, task_id=route.pk, decision="issue")
    taken = AuditEvent.objects.get(action="task.claim", reference=request_case.reference)
    assert taken.actor_id == manager2.pk


def test_a_manager_who_is_the_volunteer_does_not_issue_their_own_certificate(org, manager, manager2, activity):
    """D3: the volunteer is the request's party. A manager of the organization who asks for
    their own certificate neither sees the task offered nor may work it; another manager does."""
    me = volunteer_register(actor=manager, user=manager, real_name="组织负责人", id_number=id_number(88))
    approved(manager2, me, activity, Decimal("3"))
    case = request_create(actor=manager, volunteer=me, organization=org, purpose="评优")
    route = open_route(case)
    with pytest.raises(NotAllowed):
        task_complete(actor=manager, task_id=route.pk, decision="issue")
    case.refresh_from_db()
    assert case.status == CertificateRequest.Status.VERIFYING and not Certificate.objects.filter(volunteer=me).exists()
    assert route not in task_queue(manager)
    task_complete(actor=manager2, task_id=route.pk, decision="issue")
    case.refresh_from_db()
    assert case.status == CertificateRequest.Status.ISSUED
