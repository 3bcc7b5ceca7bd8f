"""Only volunteers selected in an activity's recruitment sign in to it (the certification
sign-in asks the recruitment's ``signin_check``); an activity without a recruitment is as before."""
from datetime import timedelta

import pytest
import time_machine

from engine.cases.errors import RuleViolation
from processes.certification.models import Attendance, Volunteer
from processes.certification.services.attendance import sign_in
from processes.recruitment.services.recruitments import recruitment_cancel
from processes.recruitment.services.signups import signup_create, signup_select

from .conftest import coming_activity, person

pytestmark = pytest.mark.django_db


def test_a_volunteer_not_selected_cannot_sign_in_and_a_selected_one_can(recruitment, activity, manager):
    chosen, other = person(1), person(2)
    slot = recruitment.slots.get()
    signup = signup_create(actor=chosen, slot_id=slot.pk)
    signup_create(actor=other, slot_id=slot.pk)
    with time_machine.travel(activity.start_at + timedelta(minutes=5)):
        with pytest.raises(RuleViolation):
            sign_in(actor=chosen, volunteer=Volunteer.objects.get(user=chosen), activity=activity)  # applied only
        signup_select(actor=manager, signup_id=signup.pk)
        sign_in(actor=chosen, volunteer=Volunteer.objects.get(user=chosen), activity=activity)
        with pytest.raises(RuleViolation):
            sign_in(actor=other, volunteer=Volunteer.objects.get(user=other), activity=activity)
    assert list(Attendance.objects.values_list("volunteer__user", flat=True)) == [chosen.pk]


def test_without_a_recruitment_or_once_it_is_cancelled_anyone_signs_in_as_before(org, manager, recruitment, activity):
    user = person(3)
    plain = coming_activity(org, manager, name="无招募活动", days=5)
    with time_machine.travel(plain.start_at + timedelta(minutes=5)):
        sign_in(actor=user, volunteer=Volunteer.objects.get(user=user), activity=plain)
    recruitment_cancel(actor=manager, recruitment_id=recruitment.pk, reason="取消")
    with time_machine.travel(activity.start_at + timedelta(minutes=5)):
        sign_in(actor=user, volunteer=Volunteer.objects.get(user=user), activity=activity)
    assert Attendance.objects.filter(volunteer__user=user).count() == 2
