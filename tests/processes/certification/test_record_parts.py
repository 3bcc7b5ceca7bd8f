"""R2a and R9 gaps of issue #12: a commendation or an evaluation carries no hours; evaluations
appear on a certificate only when the request asked for them; a certificate reissued after
a dispute that a successor unit decided names the successor, not the ended issuer."""
from decimal import Decimal

import pytest

from engine.cases.actions import task_complete
from engine.cases.errors import RuleViolation
from engine.cases.models import TaskRoute
from engine.directory.services import organization_end
from processes.certification import selectors, signing
from processes.certification.models import Activity, Certificate, ServiceRecord
from processes.certification.services.disputes import dispute_file
from processes.certification.services.registry import record_approve, record_enter
from processes.certification.services.requests import request_create
from tests.factories import OrganizationFactory, member, org_user

from .conftest import make_activity

pytestmark = pytest.mark.django_db


def open_route(case):
    return TaskRoute.objects.get(reference=case.reference, state__in=["open", "claimed"])


def _entry(org, manager, manager2, volunteer, category, name, hours=None):
    act = make_activity(org, manager, name=name)
    Activity.objects.filter(pk=act.pk).update(category=category)
    act.refresh_from_db()
    record = record_enter(actor=manager, volunteer=volunteer, id_number=volunteer.id_number, activity=act,
                          hours=hours, submit=True)
    return record_approve(actor=manager2, record_id=record.pk)


@pytest.mark.parametrize("category", ["commendation", "evaluation"])
def test_a_commendation_or_evaluation_carries_no_hours(org, manager, manager2, volunteer, client, category):
    act = make_activity(org, manager, name="年度优秀志愿者")
    Activity.objects.filter(pk=act.pk).update(category=category)
    act.refresh_from_db()
    with pytest.raises(RuleViolation) as exc:  # typed hours are refused, not silently dropped
        record_enter(actor=manager, volunteer=volunteer, id_number=volunteer.id_number, activity=act, hours="3")
    assert "hours" in exc.value.fields and not ServiceRecord.objects.exists()
    client.force_login(manager)
    client.post("/certification/portal/records/", {"volunteer": volunteer.volunteer_number,
                                                    "id_number": volunteer.id_number, "activity": act.pk})
    record = ServiceRecord.objects.get()
    assert record.hours == Decimal("0.00") and record.status == "pending"
    record_approve(actor=manager2, record_id=record.pk)
    assert selectors.approved_hours(volunteer) == 0  # counts toward nothing (R13, R14)


def test_service_hours_are_still_required(org, manager, volunteer, activity):
    for hours in (None, "", "0"):
        with pytest.raises(RuleViolation):
            record_enter(actor=manager, volunteer=volunteer, id_number=volunteer.id_number, activity=activity,
                         hours=hours)
    assert not ServiceRecord.objects.exists()


@pytest.mark.parametrize("include_evaluation", [False, True])
def test_evaluations_appear_only_when_asked(org, manager, manager2, volunteer, vol_user, approved_record,
                                           include_evaluation):
    praise = _entry(org, manager, manager2, volunteer, "commendation", "优秀志愿者")
    review = _entry(org, manager, manager2, volunteer, "evaluation", "年度评价")
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org, include_training=True,
                          include_evaluation=include_evaluation)
    task_complete(actor=manager, task_id=open_route(case).pk, decision="issue")
    cert = Certificate.objects.get(request=case)
    ids = cert.record_ids()
    assert approved_record.pk in ids and praise.pk in ids
    assert (review.pk in ids) is include_evaluation
    assert cert.total_hours == approved_record.hours  # a commendation adds no hours
    assert signing.verify(cert)


def test_reissue_after_a_successor_decided_the_dispute_names_the_successor(org, manager, vol_user, volunteer,
                                                                           approved_record):
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org)
    task_complete(actor=manager, task_id=open_route(case).pk, decision="issue")
    old = Certificate.objects.get(request=case)
    assert old.issuer == org
    successor = OrganizationFactory(name="承接组织", contact_person="孙老师", contact_phone="0371-7654321")
    successor_mgr = org_user(successor, username="succ_mgr")
    organization_end(actor=member("mca-jinshui", "head", username="h"), organization=org, status="merged",
                     successor=successor, reason="合并")
    dispute = dispute_file(actor=vol_user, certificate=old, claim="应为8小时", claimed_hours=8)
    task_complete(actor=successor_mgr, task_id=open_route(dispute).pk, decision="uphold", reason="承接单位核实",
                  data={"hours": "8"})
    old.refresh_from_db()
    new = old.superseded_by
    assert old.status == "superseded" and old.issuer == org  # the old one stays as it was
    assert (new.issuer, new.issuer_name) == (successor, "承接组织") and "孙老师" in new.issuer_contact
    assert new.recording_organization == org.name  # R1: who recorded it does not change
    assert signing.verify(new)
