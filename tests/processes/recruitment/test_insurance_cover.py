"""The volunteers selected in a dangerous activity's recruitment are among those its accident
insurance must cover (seed 二(三)): certification's protection reads them through the
participant hook the recruitment app registers."""
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from engine.cases.errors import DomainError
from engine.documents.samples import pdf_bytes
from processes.certification.models import Volunteer
from processes.certification.selectors import cover_overview
from processes.certification.services.protection import (
    activity_mark_dangerous,
    activity_start,
    insurance_record,
    participants_of,
)
from processes.recruitment.services.signups import signup_create, signup_select

from .conftest import person

pytestmark = pytest.mark.django_db


def test_a_selected_volunteer_without_cover_stops_the_start_and_is_named(recruitment, activity, manager, org):
    chosen, applicant = person(1), person(2)
    slot = recruitment.slots.get()
    signup_select(actor=manager, signup_id=signup_create(actor=chosen, slot_id=slot.pk).pk)
    signup_create(actor=applicant, slot_id=slot.pk)  # signed up, not selected: not a participant
    activity_mark_dangerous(actor=manager, activity=activity, dangerous=True)
    selected = Volunteer.objects.get(user=chosen)
    assert list(participants_of(activity)) == [selected]
    activity.refresh_from_db()
    cover_overview([activity])  # the portal's card reads participants the same way
    assert activity.uncovered == [selected]

    with pytest.raises(DomainError) as refused:
        activity_start(actor=manager, activity=activity)
    assert selected.real_name in str(refused.value)
    activity.refresh_from_db()
    assert activity.started_at is None

    first, last = timezone.localdate(activity.start_at), timezone.localdate(activity.end_at)
    insurance_record(actor=manager, organization=org, insurer="中国人寿", policy_number="PA-2026-009",
                     starts_on=first, ends_on=last, volunteers=[selected],
                     files=[SimpleUploadedFile("保单.pdf", pdf_bytes("保单.pdf"), content_type="application/pdf")])
    with time_machine.travel(activity.start_at, tick=False):  # started when sign-in opens
        activity_start(actor=manager, activity=activity)
    activity.refresh_from_db()
    assert activity.started_at is not None
