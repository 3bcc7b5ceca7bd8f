"""Seed 二(四), CM1/CM2: departments' commendations (通报表扬) of volunteers and organizations —
who may commend and revoke, the audit event, the notice to the commended — and their listing on
a certificate when the volunteer asks, inside the signed content (R10)."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from engine.audit.models import AuditEvent
from engine.cases.actions import task_complete
from engine.cases.errors import NotAllowed, RuleViolation, StateConflict
from engine.cases.models import TaskRoute
from engine.directory.models import Department
from engine.notifications.models import Notification
from processes.certification import signing
from processes.certification.models import Certificate, Commendation
from processes.certification.pdf import certificate_pdf
from processes.certification.services.certificates import certificate_verify
from processes.certification.services.commendations import commendation_create, commendation_revoke
from processes.certification.services.requests import request_create
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def civ_staff(db):
    return member("civ", "staff", username="civ_staff")


def commend(actor, **subject):
    return commendation_create(actor=actor, department=Department.objects.get(code="civ"), title="优秀志愿者",
                               reason="疫情防控中表现突出", commended_on=date(2026, 5, 4), document_number="郑文明〔2026〕3号",
                               **subject)


def issue(org, manager, volunteer, vol_user, **options):
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org, **options)
    route = TaskRoute.objects.get(reference=case.reference, state__in=["open", "claimed"])
    task_complete(actor=manager, task_id=route.pk, decision="issue")
    return Certificate.objects.get(request=case)


def test_staff_commend_a_volunteer_who_is_told_and_it_is_audited(civ_staff, volunteer, vol_user):
    commendation = commend(civ_staff, volunteer=volunteer)
    assert commendation.department.code == "civ" and commendation.issued_by == civ_staff
    assert AuditEvent.objects.filter(action="certification.commendation.create", object_id=str(commendation.pk)).exists()
    notice = Notification.objects.get(user=vol_user, kind="certification.commendation")
    assert "优秀志愿者" in notice.title


def test_an_organization_is_commended_and_its_managers_told(civ_staff, org, manager, manager2):
    commend(civ_staff, organization=org)
    assert set(Notification.objects.filter(kind="certification.commendation").values_list("user", flat=True)) == {
        manager.pk, manager2.pk}


@pytest.mark.parametrize("role", ["reviewer", None])
def test_only_staff_and_heads_of_the_department_commend(role, volunteer, manager):
    outsider = member("civ", role, username="civ_x") if role else manager
    with pytest.raises(NotAllowed):
        commend(outsider, volunteer=volunteer)
    other_department = member("mca", "staff", username="mca_staff")
    with pytest.raises(NotAllowed):
        commend(other_department, volunteer=volunteer)
    assert not Commendation.objects.exists()
    commend(member("civ", "head", username="civ_head"), volunteer=volunteer)


def test_bad_input_changes_nothing(civ_staff, volunteer, org):
    with pytest.raises(RuleViolation):
        commend(civ_staff, volunteer=volunteer, organization=org)
    with pytest.raises(RuleViolation):
        commend(civ_staff)
    with pytest.raises(RuleViolation):
        commendation_create(actor=civ_staff, department=Department.objects.get(code="civ"), title="", reason="x",
                            commended_on=date(2026, 5, 4), volunteer=volunteer)
    with pytest.raises(RuleViolation):
        commendation_create(actor=civ_staff, department=Department.objects.get(code="civ"), title="好", reason="x",
                            commended_on=timezone.localdate() + timedelta(days=1), volunteer=volunteer)
    assert not Commendation.objects.exists() and not Notification.objects.exists()


def test_revocation_needs_the_department_and_a_reason_and_happens_once(civ_staff, volunteer):
    commendation = commend(civ_staff, volunteer=volunteer)
    with pytest.raises(NotAllowed):
        commendation_revoke(actor=member("mca", "head", username="mca_head"), commendation=commendation, reason="误")
    with pytest.raises(RuleViolation):
        commendation_revoke(actor=civ_staff, commendation=commendation, reason=" ")
    commendation_revoke(actor=civ_staff, commendation=commendation, reason="核实有误")
    with pytest.raises(StateConflict):
        commendation_revoke(actor=civ_staff, commendation=commendation, reason="核实有误")
    assert not Commendation.objects.standing().exists()
    assert AuditEvent.objects.filter(action="certification.commendation.revoke").count() == 1


def test_certificate_lists_commendations_and_stars_when_asked_and_still_verifies(
        civ_staff, org, manager, volunteer, vol_user, approved_record):
    commend(civ_staff, volunteer=volunteer)
    revoked = commend(civ_staff, volunteer=volunteer)
    commendation_revoke(actor=civ_staff, commendation=revoked, reason="撤销")
    cert = issue(org, manager, volunteer, vol_user, include_honours=True)
    assert cert.honours["stars"] == 0
    assert [c["title"] for c in cert.honours["commendations"]] == ["优秀志愿者"]
    assert signing.signed_content(cert)["honours"] == cert.honours
    assert signing.verify(cert)
    assert certificate_verify(number=cert.number, code=cert.verification_code)["result"] == "valid"
    assert certificate_pdf(cert).startswith(b"%PDF")
    Certificate.objects.filter(pk=cert.pk).update(honours={"stars": 5, "commendations": []})
    cert.refresh_from_db()
    assert not signing.verify(cert)  # the listed honours are signed


def test_certificate_without_the_option_lists_none(civ_staff, org, manager, volunteer, vol_user, approved_record):
    commend(civ_staff, volunteer=volunteer)
    cert = issue(org, manager, volunteer, vol_user)
    assert cert.honours == {} and "honours" not in signing.signed_content(cert)
    assert signing.verify(cert)
