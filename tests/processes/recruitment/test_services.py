"""Recruitment services (seed 二(一), 二(二)): places and the wait-list, the one eligibility
rule and its illegal cases, selection, emergency calls, on-the-spot registration (R4)."""
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from engine.audit.models import AuditEvent
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.directory.models import District
from engine.notifications.models import Notification
from processes.certification.models import Volunteer
from processes.certification.services.registry import activity_create
from processes.recruitment.models import ActivityType, EmergencyCall, Recruitment, SignUp, Skill, TrainingQualification
from processes.recruitment.services.emergency import call_answer
from processes.recruitment.services.profiles import profile_save
from processes.recruitment.services.recruitments import recruitment_cancel, recruitment_close
from processes.recruitment.services.signups import (
    signup_create,
    signup_decline,
    signup_on_spot,
    signup_select,
    signup_withdraw,
)
from tests.factories import OrganizationFactory, org_user
from tests.processes.certification.conftest import approved, id_number

from .conftest import coming_activity, person, publish

pytestmark = pytest.mark.django_db


def slot_of(recruitment, index=0):
    return list(recruitment.slots.all())[index]


def test_sign_ups_take_the_places_then_wait_in_order_and_move_up_when_a_place_frees(recruitment, manager):
    slot = slot_of(recruitment)
    users = [person(n) for n in range(1, 5)]
    signups = [signup_create(actor=u, slot_id=slot.pk) for u in users]
    assert [s.status for s in signups] == ["applied", "applied", "waitlisted", "waitlisted"]
    signup_withdraw(actor=users[0], signup_id=signups[0].pk)
    statuses = dict(SignUp.objects.values_list("pk", "status"))
    assert statuses[signups[2].pk] == "applied" and statuses[signups[3].pk] == "waitlisted"  # first come first
    assert Notification.objects.filter(user=users[2], kind="recruitment.promote").exists()
    signup_decline(actor=manager, signup_id=signups[1].pk, reason="人员已满")
    assert SignUp.objects.get(pk=signups[3].pk).status == "applied"
    assert AuditEvent.objects.filter(action="recruitment.promote").count() == 2


def test_signing_up_twice_for_the_same_slot_is_a_conflict(recruitment, vol_user):
    slot = slot_of(recruitment)
    signup_create(actor=vol_user, slot_id=slot.pk)
    with pytest.raises(StateConflict):
        signup_create(actor=vol_user, slot_id=slot.pk)
    assert SignUp.objects.count() == 1


def test_signing_up_for_an_overlapping_slot_of_another_recruitment_is_refused(org, manager, recruitment, vol_user):
    signup_create(actor=vol_user, slot_id=slot_of(recruitment).pk)
    other = coming_activity(org, manager, name="社区巡逻")  # the same hours
    second = publish(manager, other, title="巡逻招募")
    with pytest.raises(RuleViolation) as exc:
        signup_create(actor=vol_user, slot_id=slot_of(second).pk)
    assert exc.value.code == "not_eligible"
    assert SignUp.objects.filter(volunteer__user=vol_user).count() == 1
    later = coming_activity(org, manager, name="次日巡逻", days=3)  # no overlap: allowed
    assert signup_create(actor=vol_user, slot_id=slot_of(publish(manager, later)).pk).status == "applied"


def test_a_withdrawn_sign_up_no_longer_blocks_an_overlapping_slot(org, manager, recruitment, vol_user):
    first = signup_create(actor=vol_user, slot_id=slot_of(recruitment).pk)
    signup_withdraw(actor=vol_user, signup_id=first.pk)
    second = publish(manager, coming_activity(org, manager, name="社区巡逻"))
    assert signup_create(actor=vol_user, slot_id=slot_of(second).pk).status == "applied"


def test_age_limits_are_checked_on_the_slots_day(manager, activity):
    recruitment = publish(manager, activity, min_age=18, max_age=60)
    young = person(2, birth=f"{timezone.now().year - 16}0101")
    old = person(3, birth="19400101")
    for user in (young, old):
        with pytest.raises(RuleViolation):
            signup_create(actor=user, slot_id=slot_of(recruitment).pk)
    assert signup_create(actor=person(4), slot_id=slot_of(recruitment).pk).status == "applied"


def test_selecting_a_volunteer_without_the_required_training_is_refused(org, manager, activity, vol_user):
    kind = ActivityType.objects.create(name="水上救援", requires_training=True)
    recruitment = publish(manager, activity, activity_type=kind)
    # signing up is refused too, by the same rule: so the untrained sign-up is made before the
    # requirement is switched on
    kind.requires_training = False
    kind.save()
    signup = signup_create(actor=vol_user, slot_id=slot_of(recruitment).pk)
    kind.requires_training = True
    kind.save()
    with pytest.raises(RuleViolation) as exc:
        signup_select(actor=manager, signup_id=signup.pk)
    assert "水上救援" in str(exc.value.message)
    assert SignUp.objects.get(pk=signup.pk).status == "applied"
    # 谁招募谁培训: the organization trains them (a training activity that qualifies, R2a) …
    end = timezone.now() - timedelta(days=3)
    training = activity_create(actor=manager, organization=org, name="水上救援培训", place="培训中心",
                               start_at=end - timedelta(hours=4), end_at=end, person_in_charge="教官",
                               category="training")
    TrainingQualification.objects.create(activity=training, activity_type=kind)
    approved(manager, Volunteer.objects.get(user=vol_user), training, 4)
    # … and now the selection passes
    assert signup_select(actor=manager, signup_id=signup.pk).status == "selected"
    assert Notification.objects.filter(user=vol_user, kind="recruitment.select").exists()


def test_an_untrained_volunteer_cannot_sign_up_where_training_is_required(manager, activity, vol_user):
    kind = ActivityType.objects.create(name="危化品处置", requires_training=True)
    recruitment = publish(manager, activity, activity_type=kind)
    with pytest.raises(RuleViolation):
        signup_create(actor=vol_user, slot_id=slot_of(recruitment).pk)
    assert not SignUp.objects.exists()


def test_only_a_manager_of_the_organization_selects(recruitment, vol_user):
    signup = signup_create(actor=vol_user, slot_id=slot_of(recruitment).pk)
    stranger = org_user(OrganizationFactory(), username="other_mgr")
    with pytest.raises(NotFound):
        signup_select(actor=stranger, signup_id=signup.pk)
    with pytest.raises(NotFound):
        signup_select(actor=vol_user, signup_id=signup.pk)
    assert SignUp.objects.get(pk=signup.pk).status == "applied"


def test_a_wait_listed_sign_up_cannot_be_selected(manager, activity):
    recruitment = publish(manager, activity, places=1)
    slot = slot_of(recruitment)
    signup_create(actor=person(1), slot_id=slot.pk)
    waiting = signup_create(actor=person(2), slot_id=slot.pk)
    with pytest.raises(StateConflict):
        signup_select(actor=manager, signup_id=waiting.pk)


def test_a_closed_or_cancelled_recruitment_takes_no_sign_ups(recruitment, manager, vol_user):
    recruitment_close(actor=manager, recruitment_id=recruitment.pk)
    with pytest.raises(StateConflict):
        signup_create(actor=vol_user, slot_id=slot_of(recruitment).pk)
    with pytest.raises(RuleViolation):
        recruitment_cancel(actor=manager, recruitment_id=recruitment.pk, reason="")
    assert recruitment_cancel(actor=manager, recruitment_id=recruitment.pk, reason="暴雨预警解除").status == "cancelled"


def test_publishing_checks_the_activity_and_the_slots(org, manager, activity):
    with pytest.raises(RuleViolation):
        publish(manager, activity, slots=[{"start_at": activity.start_at - timedelta(hours=1),
                                           "end_at": activity.end_at, "places": 1}])
    with pytest.raises(RuleViolation):
        publish(manager, activity, min_age=40, max_age=20)
    stranger = org_user(OrganizationFactory(), username="other_mgr")
    with pytest.raises(NotAllowed):
        publish(stranger, activity)
    publish(manager, activity)
    with pytest.raises(StateConflict):
        publish(manager, activity)
    assert Recruitment.objects.count() == 1


def test_an_emergency_recruitment_is_pushed_to_matching_volunteers_who_answer_within_the_window(org, manager):
    rescue = Skill.objects.create(name="急救")
    Skill.objects.create(name="外语")
    jinshui = District.objects.create(code="rc-jinshui", name="测试金水区")
    matching, other_district, no_skill, unavailable = (person(n, district=jinshui) for n in range(1, 5))
    Volunteer.objects.filter(user=other_district).update(district=None)
    for user, skills, available in ((matching, [rescue], True), (other_district, [rescue], True),
                                    (no_skill, [], True), (unavailable, [rescue], False)):
        profile_save(actor=user, skills=skills, emergency_available=available)
    matching.email, matching.phone = "rc1@example.cn", "13800000001"
    matching.save(update_fields=["email", "phone"])
    activity = coming_activity(org, manager, days=0, hours=10)
    with time_machine.travel(activity.start_at - timedelta(hours=1)):
        recruitment = publish(manager, activity, kind="emergency", skills=[rescue],
                              district=jinshui)
    assert list(EmergencyCall.objects.values_list("volunteer__user", flat=True)) == [matching.pk]
    # an emergency call is texted as well as mailed unless the volunteer chose otherwise (seed 二(一))
    assert list(Notification.objects.filter(kind="emergency.recruitment").values_list("by_email", "by_sms")) == [
        (True, True)]
    assert recruitment.answer_by is not None
    with time_machine.travel(recruitment.answer_by - timedelta(minutes=5)):
        with pytest.raises(NotFound):
            call_answer(actor=no_skill, recruitment_id=recruitment.pk, answer="yes")
        call = call_answer(actor=matching, recruitment_id=recruitment.pk, answer="yes")
    assert call.answer == "yes"
    assert SignUp.objects.get(volunteer__user=matching).source == "emergency"
    with time_machine.travel(recruitment.answer_by + timedelta(minutes=1)):
        with pytest.raises(StateConflict):
            call_answer(actor=matching, recruitment_id=recruitment.pk, answer="no")


def test_an_emergency_window_beyond_the_setting_is_refused(manager, activity, settings):
    settings.RECRUITMENT_EMERGENCY_WINDOW_MAX_MINUTES = 60
    with pytest.raises(RuleViolation):
        publish(manager, activity, kind="emergency", answer_by=timezone.now() + timedelta(hours=3))


def test_offline_on_the_spot_registration_records_consent_and_selects(org, manager, activity):
    recruitment = publish(manager, activity, mode="offline", places=1)
    slot = slot_of(recruitment)
    with pytest.raises(RuleViolation):  # no consent, no entry (R4)
        signup_on_spot(actor=manager, slot_id=slot.pk, consent_note="", real_name="王大伯", id_number=id_number(50))
    assert not Volunteer.objects.filter(real_name="王大伯").exists()
    signup = signup_on_spot(actor=manager, slot_id=slot.pk, consent_note="现场口头同意并签字",
                            real_name="王大伯", id_number=id_number(50))
    assert signup.status == "selected" and signup.source == "on_spot"
    assert signup.volunteer.registered_by == org and signup.consent_note == "现场口头同意并签字"
    with pytest.raises(StateConflict):  # the only place is taken
        signup_on_spot(actor=manager, slot_id=slot.pk, consent_note="同意", real_name="李阿姨", id_number=id_number(51))


def test_on_the_spot_registration_is_for_offline_recruitments_only(recruitment, manager):
    with pytest.raises(RuleViolation):
        signup_on_spot(actor=manager, slot_id=slot_of(recruitment).pk, consent_note="同意", real_name="王大伯",
                       id_number=id_number(50))
