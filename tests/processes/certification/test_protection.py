"""Seed 二(三), PR1/PR2: a possibly dangerous activity cannot start and nobody signs in to it until
every participant is covered by a recorded accident insurance policy for its dates; the refusal
names who is not covered."""
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.models import F, Value
from django.utils import timezone

from engine.audit.models import AuditEvent
from engine.cases.errors import DomainError, NotAllowed, NotFound, RuleViolation, StateConflict
from engine.documents.models import Document
from engine.documents.samples import pdf_bytes
from processes.certification import selectors
from processes.certification.models import ActivityParticipant, Attendance, InsurancePolicy, Volunteer
from processes.certification.services.attendance import sign_in
from processes.certification.services.protection import (
    activity_mark_dangerous,
    activity_start,
    insurance_record,
    participant_add,
    participant_remove,
    participants_of,
    uncovered_participants,
)
from processes.certification.services.registry import activity_create, volunteer_register
from tests.factories import OrganizationFactory, UserFactory, org_user

from .conftest import id_number

pytestmark = pytest.mark.django_db


def pdf(name="保单.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(name), content_type="application/pdf")


@pytest.fixture
def climb(org, manager):
    """A dangerous activity in three days, from 09:00 to 17:00."""
    start = (timezone.localtime() + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    activity = activity_create(actor=manager, organization=org, name="山地搜救演练", place="登封市",
                               start_at=start, end_at=start + timedelta(hours=8), person_in_charge="钱老师")
    return activity_mark_dangerous(actor=manager, activity=activity, dangerous=True)


@pytest.fixture
def people(manager, org):
    """Two volunteers with accounts, on the roster with the ID numbers they handed over."""
    result = []
    for n, name in ((11, "张安全"), (12, "王未保")):
        user = UserFactory(username=f"v{n}", full_name=name)
        result.append(volunteer_register(actor=user, user=user, real_name=name, id_number=id_number(n)))
    return result


def roster(manager, activity, volunteers):
    for v in volunteers:
        participant_add(actor=manager, activity=activity, volunteer=v, id_number=v.id_number)


def insure(manager, org, volunteers, first, last, number="PA-2026-001"):
    return insurance_record(actor=manager, organization=org, insurer="中国人寿", policy_number=number,
                            starts_on=first, ends_on=last, volunteers=volunteers, files=[pdf()])


def dates(activity):
    return timezone.localdate(activity.start_at), timezone.localdate(activity.end_at)


def test_one_uninsured_volunteer_blocks_start_and_sign_in_and_is_named(manager, org, climb, people):
    covered, uncovered = people
    roster(manager, climb, people)
    first, last = dates(climb)
    insure(manager, org, [covered], first, last)
    assert uncovered_participants(climb) == [uncovered]
    with pytest.raises(StateConflict) as refused:
        activity_start(actor=manager, activity=climb)
    assert refused.value.code == "uninsured"
    assert "王未保" in str(refused.value.message) and "张安全" not in str(refused.value.message)
    climb.refresh_from_db()
    assert climb.started_at is None
    with time_machine.travel(climb.start_at, tick=False), pytest.raises(StateConflict) as signin_refused:
        sign_in(actor=covered.user, volunteer=covered, activity=climb)
    # a volunteer sees the others masked (D6)
    assert "王*保" in str(signin_refused.value.message) and "王未保" not in str(signin_refused.value.message)
    assert not Attendance.objects.exists()


def test_everyone_covered_allows_start_and_sign_in(manager, org, climb, people):
    roster(manager, climb, people)
    first, last = dates(climb)
    insure(manager, org, people, first - timedelta(days=30), last + timedelta(days=30))
    assert uncovered_participants(climb) == []
    with time_machine.travel(climb.start_at, tick=False):
        activity_start(actor=manager, activity=climb)
        sign_in(actor=people[0].user, volunteer=people[0], activity=climb)
    climb.refresh_from_db()
    assert climb.started_at is not None and climb.started_by == manager
    assert Attendance.objects.filter(volunteer=people[0], activity=climb).exists()
    assert AuditEvent.objects.filter(action="certification.activity.start", object_id=str(climb.pk)).exists()
    with pytest.raises(StateConflict):
        activity_start(actor=manager, activity=climb)


@pytest.mark.parametrize("shift", [(1, 1), (-1, -1)], ids=["starts-a-day-late", "ends-a-day-early"])
def test_policy_period_not_covering_the_dates_is_refused(manager, org, climb, people, shift):
    roster(manager, climb, people)
    first, last = dates(climb)
    insure(manager, org, people, first + timedelta(days=shift[0]), last + timedelta(days=shift[1]))
    assert set(uncovered_participants(climb)) == set(people)
    with pytest.raises(StateConflict):
        activity_start(actor=manager, activity=climb)


def test_a_volunteer_off_the_roster_cannot_sign_in_uninsured(manager, org, climb, people):
    covered, outsider = people
    roster(manager, climb, [covered])
    first, last = dates(climb)
    insure(manager, org, [covered], first, last)
    with time_machine.travel(climb.start_at, tick=False):
        with pytest.raises(StateConflict):
            sign_in(actor=outsider.user, volunteer=outsider, activity=climb)
        sign_in(actor=covered.user, volunteer=covered, activity=climb)


def test_another_organizations_policy_does_not_cover(manager, org, climb, people):
    other = OrganizationFactory()
    other_manager = org_user(other, username="other_mgr")
    for v in people:
        ActivityParticipant.objects.create(activity=activity_create(
            actor=other_manager, organization=other, name="别家", place="郑州", start_at=climb.start_at,
            end_at=climb.end_at, person_in_charge="某"), volunteer=v)
    roster(manager, climb, people)
    first, last = dates(climb)
    insure(other_manager, other, people, first, last)
    assert set(uncovered_participants(climb)) == set(people)


def test_an_activity_not_marked_dangerous_needs_no_insurance(manager, org, people):
    start = timezone.now() + timedelta(minutes=10)  # sign-in is open: it may start
    walk = activity_create(actor=manager, organization=org, name="公园清洁", place="人民公园", start_at=start,
                           end_at=start + timedelta(hours=2), person_in_charge="钱老师")
    roster(manager, walk, people)
    assert uncovered_participants(walk) == []
    activity_start(actor=manager, activity=walk)


def test_policy_needs_a_document_a_volunteer_and_a_sane_period(manager, org, people, climb):
    first, last = dates(climb)
    roster(manager, climb, people)
    with pytest.raises(RuleViolation):
        insurance_record(actor=manager, organization=org, insurer="中国人寿", policy_number="X1", starts_on=first,
                         ends_on=last, volunteers=people, files=[])
    with pytest.raises(RuleViolation):
        insurance_record(actor=manager, organization=org, insurer="中国人寿", policy_number="X1", starts_on=first,
                         ends_on=last, volunteers=[], files=[pdf()])
    with pytest.raises(RuleViolation):
        insure(manager, org, people, last, first - timedelta(days=1))
    with pytest.raises(RuleViolation):
        insurance_record(actor=manager, organization=org, insurer="", policy_number="X1", starts_on=first,
                         ends_on=last, volunteers=people, files=[pdf()])
    assert not InsurancePolicy.objects.exists() and not Document.objects.exists()


def test_policy_records_document_and_audit_and_refuses_strangers(manager, org, people, climb):
    first, last = dates(climb)
    roster(manager, climb, people[:1])
    with pytest.raises(NotFound):  # never on a roster of this organization nor entered by it
        insure(manager, org, people, first, last)
    policy = insure(manager, org, people[:1], first, last)
    assert policy.reference.startswith("BX-")
    assert Document.objects.filter(case_id=policy.pk, kind="insurance_policy", organization=org).count() == 1
    assert AuditEvent.objects.filter(action="certification.insurance.record", reference=policy.reference).exists()
    with pytest.raises(NotAllowed):
        insure(people[0].user, org, people[:1], first, last, number="PA-2")
    with pytest.raises(RuleViolation):  # the same policy twice
        insure(manager, org, people[:1], first, last)


def test_roster_rules(manager, manager2, org, climb, people):
    stranger = people[0]
    with pytest.raises(NotFound):  # the organization does not know them and has no ID number
        participant_add(actor=manager, activity=climb, volunteer=stranger)
    with pytest.raises(NotAllowed):
        participant_add(actor=stranger.user, activity=climb, volunteer=stranger, id_number=stranger.id_number)
    participant_add(actor=manager, activity=climb, volunteer=stranger, id_number=stranger.id_number)
    with pytest.raises(StateConflict):
        participant_add(actor=manager2, activity=climb, volunteer=stranger)
    assert list(participants_of(climb)) == [stranger]
    participant_remove(actor=manager2, activity=climb, volunteer=stranger)
    assert not participants_of(climb).exists()
    with pytest.raises(NotFound):
        participant_remove(actor=manager2, activity=climb, volunteer=stranger)


def test_risk_cannot_change_after_start(manager, org, climb):
    with time_machine.travel(climb.start_at, tick=False):
        activity_start(actor=manager, activity=climb)  # no participants yet: nobody is uncovered
    with pytest.raises(StateConflict):
        activity_mark_dangerous(actor=manager, activity=climb, dangerous=False)


def test_an_insured_activity_starts_only_once_sign_in_opens(manager, org, climb, people):
    """Starting fixes the roster and the risk: not days ahead, only from the sign-in opening (R12)."""
    roster(manager, climb, people)
    first, last = dates(climb)
    insure(manager, org, people, first, last)
    with pytest.raises(RuleViolation) as early:
        activity_start(actor=manager, activity=climb)
    assert "30" in str(early.value.message)
    climb.refresh_from_db()
    assert climb.started_at is None
    with time_machine.travel(climb.start_at - timedelta(minutes=30), tick=False):
        activity_start(actor=manager, activity=climb)


def test_participant_source_hook_adds_selected_volunteers(manager, org, climb, people, monkeypatch):
    accepted = people[1]

    def recruitment(activity_ids):
        return Volunteer.objects.filter(pk=accepted.pk if climb.pk in activity_ids else None).values(
            volunteer=F("pk"), activity=Value(climb.pk))

    # an installed app's ``activity_participants`` hook (engine.processes.hooks)
    monkeypatch.setattr(selectors, "hooks", lambda name: [recruitment] if name == "activity_participants" else [])
    assert list(participants_of(climb)) == [accepted]
    assert uncovered_participants(climb) == [accepted]


def test_an_uninsured_volunteer_cannot_join_a_started_dangerous_activity(manager, org, climb, people):
    covered, uncovered = people
    roster(manager, climb, [covered])
    first, last = dates(climb)
    insure(manager, org, [covered], first, last)
    with time_machine.travel(climb.start_at, tick=False):
        activity_start(actor=manager, activity=climb)
        with pytest.raises(StateConflict):
            participant_add(actor=manager, activity=climb, volunteer=uncovered, id_number=uncovered.id_number)
    assert list(participants_of(climb)) == [covered]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_start_racing_roster_additions_never_starts_with_someone_uninsured(settings, tmp_path):
    """PR1 under concurrency: managers add uninsured volunteers while another starts the
    dangerous activity; whatever the order, a started activity has nobody uninsured."""
    call_command("setup_demo", "--no-demo", verbosity=0)
    settings.CERTIFICATION_DEV_KEY_PATH = tmp_path / "key.pem"
    organization = OrganizationFactory()
    managers = [org_user(organization, username=f"race_mgr{n}") for n in range(5)]
    start = timezone.now() + timedelta(days=2)
    activity = activity_create(actor=managers[0], organization=organization, name="并发危险活动", place="郑州",
                               start_at=start, end_at=start + timedelta(hours=3), person_in_charge="某", dangerous=True)
    volunteers = [volunteer_register(actor=managers[0], organization=organization, real_name=f"并发{n}",
                                     id_number=id_number(60 + n), consent=True) for n in range(4)]
    barrier, outcomes = threading.Barrier(5), []

    def go(work):
        try:
            barrier.wait()
            work()
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    works = [lambda: activity_start(actor=managers[0], activity=activity)] + [
        (lambda v=v, m=m: participant_add(actor=m, activity=activity, volunteer=v))
        for v, m in zip(volunteers, managers[1:], strict=True)]
    threads = [threading.Thread(target=go, args=(w,)) for w in works]
    with time_machine.travel(start - timedelta(minutes=10), tick=True):  # sign-in open: the start may win
        [t.start() for t in threads]
        [t.join() for t in threads]
    activity.refresh_from_db()
    assert len(outcomes) == 5
    if activity.started_at is not None:
        assert uncovered_participants(activity) == []
    else:
        assert uncovered_participants(activity)
