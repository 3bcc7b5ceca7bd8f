"""Volunteers, activities and records: R1, R3, R4, R6, R12, R13, R14, D6."""
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from engine.audit.models import AuditEvent
from engine.cases.errors import NotAllowed, RuleViolation, StateConflict
from engine.workdays.calendar import add_working_days
from processes.certification.models import ServiceRecord, Volunteer
from processes.certification.selectors import approved_hours, stars_for
from processes.certification.services.registry import (
    activity_create,
    record_approve,
    record_correct,
    record_delete,
    record_deny,
    record_enter,
    record_submit,
    volunteer_register,
)
from tests.factories import OrganizationFactory, UserFactory, org_user

from .conftest import approved, id_number, make_activity, signed

pytestmark = pytest.mark.django_db


def test_volunteer_self_registration_masks_and_numbers(volunteer):
    assert volunteer.volunteer_number.startswith("ZY-")
    assert volunteer.masked_id == volunteer.id_number[:4] + "*" * 10 + volunteer.id_number[-4:]
    assert volunteer.masked_phone == "138****5678"
    assert volunteer.masked_name == "李*萌"
    assert volunteer.consent_at is not None
    assert AuditEvent.objects.filter(action="certification.volunteer.register").exists()


def test_bad_id_number_is_refused(vol_user):
    bad = id_number(2)[:-1] + ("0" if id_number(2)[-1] != "0" else "1")
    with pytest.raises(RuleViolation) as exc:
        volunteer_register(actor=vol_user, user=vol_user, real_name="某", id_number=bad)
    assert "id_number" in exc.value.fields
    assert not Volunteer.objects.exists()


def test_organization_needs_recorded_consent_R4(org, manager):
    with pytest.raises(RuleViolation):
        volunteer_register(actor=manager, organization=org, real_name="张三", id_number=id_number(3))
    v = volunteer_register(actor=manager, organization=org, real_name="张三", id_number=id_number(3),
                           consent=True, consent_note="纸质同意书")
    assert v.user is None and v.registered_by == org and v.consent_note == "纸质同意书"
    outsider = UserFactory()
    with pytest.raises(NotAllowed):
        volunteer_register(actor=outsider, organization=org, real_name="李四", id_number=id_number(4), consent=True)


def test_only_the_organizer_records_R1(volunteer, activity):
    other = org_user(OrganizationFactory())
    with pytest.raises(NotAllowed):
        record_enter(actor=other, volunteer=volunteer, id_number=volunteer.id_number, activity=activity, hours=2)


def test_signin_record_goes_to_review_and_is_approved_with_audit(volunteer, activity, manager):
    record = signed(volunteer, activity, "3")
    assert record.status == "pending" and not record.late
    record = record_approve(actor=manager, record_id=record.pk)
    assert record.status == "approved" and record.reviewed_by == manager
    event = AuditEvent.objects.filter(action="certification.record.approve").get()
    assert (event.before["status"], event.after["status"]) == ("pending", "approved")


def test_backfill_capped_needs_submit_and_another_approver_R12(volunteer, activity, manager, manager2):
    with pytest.raises(RuleViolation):
        record_enter(actor=manager, volunteer=volunteer, id_number=volunteer.id_number, activity=activity, hours="8.01", source="backfill")
    record = record_enter(actor=manager, volunteer=volunteer, id_number=volunteer.id_number, activity=activity, hours="8", source="backfill")
    assert record.status == "entered"
    with pytest.raises(StateConflict):
        record_approve(actor=manager2, record_id=record.pk)  # not submitted yet
    record_submit(actor=manager, record_id=record.pk)
    with pytest.raises(NotAllowed):
        record_approve(actor=manager, record_id=record.pk)  # the one who entered it
    assert record_approve(actor=manager2, record_id=record.pk).status == "approved"


def test_deny_needs_reason_and_wrong_state_is_refused(volunteer, activity, manager):
    record = signed(volunteer, activity, "2")
    with pytest.raises(RuleViolation):
        record_deny(actor=manager, record_id=record.pk, reason="")
    record = record_deny(actor=manager, record_id=record.pk, reason="未签到")
    assert record.status == "denied"
    with pytest.raises(StateConflict):
        record_approve(actor=manager, record_id=record.pk)
    assert AuditEvent.objects.filter(action="certification.record.deny", reason="未签到").exists()


def test_late_flag_after_ten_working_days_R3(volunteer, org, manager):
    old = make_activity(org, manager, name="旧活动", days_ago=30)
    assert record_enter(actor=manager, volunteer=volunteer, id_number=volunteer.id_number, activity=old, hours=1).late is True


def test_only_approved_current_non_deleted_hours_count_R13(volunteer, org, manager, vol_user):
    a1, a2, a3, a4 = (make_activity(org, manager, name=f"活动{i}") for i in range(4))
    r1 = approved(manager, volunteer, a1, 5)
    signed(volunteer, a2, 7)  # pending
    r3 = signed(volunteer, a3, 4)
    record_deny(actor=manager, record_id=r3.pk, reason="不符")
    r4 = approved(manager, volunteer, a4, 3)
    record_delete(actor=manager, record_id=r4.pk, reason="重复录入")
    assert approved_hours(volunteer) == Decimal("5.00")
    ServiceRecord.objects.get(pk=r4.pk)  # soft delete keeps the row
    new = record_correct(actor=manager, record=ServiceRecord.objects.get(pk=r1.pk), hours="4.5", reason="更正")
    assert approved_hours(volunteer) == Decimal("4.50")
    assert new.previous_id == r1.pk and new.version == 2
    assert ServiceRecord.objects.get(pk=r1.pk).is_current is False


def test_stars_use_thresholds_from_settings_and_stop_at_five_R14(settings):
    assert [stars_for(Decimal(h)) for h in (99, 100, 300, 1499, 1500, 99999)] == [0, 1, 2, 4, 5, 5]
    settings.CERTIFICATION_STAR_THRESHOLDS = (10, 20, 30, 40, 50, 60)
    assert stars_for(Decimal("25")) == 2
    assert stars_for(Decimal("1000")) == 5  # no sixth star


def test_duplicate_record_and_future_activity_refused(volunteer, activity, manager, org):
    record_enter(actor=manager, volunteer=volunteer, id_number=volunteer.id_number, activity=activity, hours=1)
    with pytest.raises(StateConflict):
        record_enter(actor=manager, volunteer=volunteer, id_number=volunteer.id_number, activity=activity, hours=1)
    future = make_activity(org, manager, name="未来", days_ago=-3)
    with pytest.raises(RuleViolation):
        record_enter(actor=manager, volunteer=volunteer, id_number=volunteer.id_number, activity=future, hours=1)
    assert future.start_at > timezone.now() - timedelta(days=1)


def test_training_entries_are_kept_but_are_not_service_hours(volunteer, org, manager):
    end = timezone.now() - timedelta(days=1)
    training = activity_create(actor=manager, organization=org, name="培训", place="郑州", category="training",
                               start_at=end - timedelta(hours=3), end_at=end, person_in_charge="某")
    approved(manager, volunteer, training, 3)
    assert approved_hours(volunteer) == Decimal("0.00")


def test_late_flag_boundary_is_ten_working_days_after_the_end_R3(volunteer, org, manager, settings):
    act = make_activity(org, manager, name="边界活动", days_ago=40)
    deadline, _ = add_working_days(act.end_at, 10)
    with time_machine.travel(deadline - timedelta(minutes=1), tick=False):
        on_time = record_enter(actor=manager, volunteer=volunteer, id_number=volunteer.id_number, activity=act, hours=1)
    assert on_time.late is False
    record_delete(actor=manager, record_id=on_time.pk, reason="重录")
    with time_machine.travel(deadline + timedelta(minutes=1), tick=False):
        assert record_enter(actor=manager, volunteer=volunteer, id_number=volunteer.id_number, activity=act, hours=1).late is True
    settings.CERTIFICATION_RECORD_LATE_WORKING_DAYS = 30
    other = make_activity(org, manager, name="宽限活动", days_ago=20)
    assert record_enter(actor=manager, volunteer=volunteer, id_number=volunteer.id_number, activity=other, hours=1).late is False
