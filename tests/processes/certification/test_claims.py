"""Issue #16: a record an organization entered is linked to an account only with the claim
code the organization hands the person; no form tells whether an ID number is registered;
the forms that take an ID number are rate-limited."""
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from engine.audit.models import AuditEvent
from engine.cases.errors import DomainError, NotFound, StateConflict
from processes.certification import selectors
from processes.certification.models import Attendance, ClaimCode, ServiceRecord, Volunteer
from processes.certification.services.claims import ClaimRefused, claim_code_issue, volunteer_claim
from processes.certification.services.registry import record_approve, volunteer_register
from tests.factories import OrganizationFactory, UserFactory, org_user

from .conftest import id_number, make_activity, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def entered(org, manager, manager2):
    """A volunteer the organization entered, with approved hours, and no account."""
    v = volunteer_register(actor=manager, organization=org, real_name="赵老伯", id_number=id_number(71), consent=True)
    act = make_activity(org, manager, name="义诊")
    record_approve(actor=manager2, record_id=signed(v, act, 3, by=manager).pk)
    return v


def _message(response):
    """The message this response added (earlier unread ones are still queued before it)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def test_registering_with_an_entered_name_and_number_takes_nothing_over(entered):
    thief = UserFactory()
    own = volunteer_register(actor=thief, user=thief, real_name="赵老伯", id_number=entered.id_number)
    assert own.pk != entered.pk and own.user == thief
    entered.refresh_from_db()
    assert entered.user_id is None
    assert selectors.approved_hours(own) == 0 and selectors.approved_hours(entered) == Decimal("3.00")
    assert not AuditEvent.objects.filter(action="certification.volunteer.link").exists()


def test_the_claim_code_links_the_record_and_a_wrong_one_is_counted(entered, manager):
    code, claim = claim_code_issue(actor=manager, volunteer_id=entered.pk)
    assert code not in claim.code_hash and len(claim.code_hash) == 64  # only a keyed hash is kept
    person = UserFactory()
    with pytest.raises(ClaimRefused):
        volunteer_claim(actor=person, id_number=entered.id_number, code="WRONG" + code[5:])
    claim.refresh_from_db()
    entered.refresh_from_db()
    assert claim.attempts == 1 and claim.used_at is None and entered.user_id is None
    linked = volunteer_claim(actor=person, id_number=entered.id_number, code=code.lower())
    assert linked.pk == entered.pk and linked.user == person
    assert AuditEvent.objects.filter(action="certification.volunteer.link", object_id=str(entered.pk)).exists()
    other = UserFactory()
    with pytest.raises(ClaimRefused):  # used once: never again
        volunteer_claim(actor=other, id_number=entered.id_number, code=code)
    assert not Volunteer.objects.filter(user=other).exists()


def test_a_code_stops_after_the_attempt_limit_and_when_it_expires(entered, manager, settings):
    settings.CERTIFICATION_CLAIM_CODE_ATTEMPTS = 2
    code, _claim = claim_code_issue(actor=manager, volunteer_id=entered.pk)
    person = UserFactory()
    for guess in ("AAAAAAAAAA", "BBBBBBBBBB"):
        with pytest.raises(ClaimRefused):
            volunteer_claim(actor=person, id_number=entered.id_number, code=guess)
    with pytest.raises(ClaimRefused):  # the right code, too late
        volunteer_claim(actor=person, id_number=entered.id_number, code=code)
    code, _claim = claim_code_issue(actor=manager, volunteer_id=entered.pk)  # a new one replaces it
    with time_machine.travel(timezone.now() + timedelta(days=15)), pytest.raises(ClaimRefused):
        volunteer_claim(actor=person, id_number=entered.id_number, code=code)
    entered.refresh_from_db()
    assert entered.user_id is None


def test_only_the_entering_organization_issues_a_code(entered):
    outsider = org_user(OrganizationFactory())
    with pytest.raises(NotFound):
        claim_code_issue(actor=outsider, volunteer_id=entered.pk)
    assert not ClaimCode.objects.exists()


def test_an_own_empty_record_is_replaced_but_one_with_history_is_not(entered, manager, org):
    code, _claim = claim_code_issue(actor=manager, volunteer_id=entered.pk)
    busy = UserFactory()
    own = volunteer_register(actor=busy, user=busy, real_name="赵老伯", id_number=entered.id_number)
    signed(own, make_activity(org, manager, name="植树"), 2)
    with pytest.raises(StateConflict):
        volunteer_claim(actor=busy, id_number=entered.id_number, code=code)
    entered.refresh_from_db()
    assert entered.user_id is None and Volunteer.objects.filter(pk=own.pk, user=busy).exists()
    fresh = UserFactory()
    empty = volunteer_register(actor=fresh, user=fresh, real_name="赵老伯", id_number=entered.id_number)
    assert volunteer_claim(actor=fresh, id_number=entered.id_number, code=code).pk == entered.pk
    assert not Volunteer.objects.filter(pk=empty.pk).exists()


def test_api_claim_refusal_is_a_400_and_the_attempt_stays_counted(entered, manager):
    issuer = APIClient()
    issuer.force_authenticate(manager)
    res = issuer.post(f"/api/v1/certification/volunteers/{entered.pk}/claim-code/")
    assert res.status_code == 201
    code = res.data["claim_code"]
    person = APIClient()
    person.force_authenticate(UserFactory())
    bad = person.post("/api/v1/certification/volunteers/claim/", {"id_number": entered.id_number, "code": "X" * 10},
                      format="json")
    unknown = person.post("/api/v1/certification/volunteers/claim/", {"id_number": id_number(72), "code": "X" * 10},
                          format="json")
    assert bad.status_code == unknown.status_code == 400 and bad.data == unknown.data  # nothing told
    assert ClaimCode.objects.get().attempts == 1
    ok = person.post("/api/v1/certification/volunteers/claim/", {"id_number": entered.id_number, "code": code},
                     format="json")
    assert ok.status_code == 200 and ok.data["volunteer_number"] == entered.volunteer_number


def test_portal_registration_reads_the_same_for_a_known_and_an_unknown_number(client, entered):
    answers = []
    for number in (entered.id_number, id_number(73)):
        client.force_login(UserFactory())
        res = client.post("/certification/portal/register/", {"real_name": "赵老伯", "id_number": number,
                                                                "consent": "1"})
        answers.append(_message(res).rsplit(" ", 1)[0])  # the same text but for the new number
    assert answers[0] == answers[1] == "登记成功，志愿者编号"
    entered.refresh_from_db()
    assert entered.user_id is None and Volunteer.objects.filter(id_number=entered.id_number).count() == 2


def test_portal_claim_with_the_code_and_a_refusal_that_tells_nothing(client, entered, manager):
    client.force_login(manager)
    res = client.post("/certification/portal/claim-code/", {"volunteer": entered.volunteer_number})
    code = _message(res).split("认领码：")[1].split("，")[0]
    person = UserFactory()
    client.force_login(person)
    wrong = client.post("/certification/portal/register/", {"id_number": entered.id_number, "claim_code": "Z" * 10})
    unknown = client.post("/certification/portal/register/", {"id_number": id_number(74), "claim_code": "Z" * 10})
    assert _message(wrong) == _message(unknown)
    assert not Volunteer.objects.filter(user=person).exists()
    client.post("/certification/portal/register/", {"id_number": entered.id_number, "claim_code": code})
    entered.refresh_from_db()
    assert entered.user == person


def test_on_the_spot_sign_in_and_back_fill_do_not_tell_a_registered_number(client, org, manager, volunteer):
    """``volunteer`` registered themself and never came: typing their ID number reads like a
    number nobody registered, and leaves no sign-in and no pending record on them."""
    act = make_activity(org, manager, name="现场", hours=4, days_ago=0)
    client.force_login(manager)
    with time_machine.travel(act.start_at + timedelta(minutes=5), tick=False):
        sign = [_message(client.post(f"/certification/portal/activities/{act.pk}/sign-in/", {"volunteer": n}))
                for n in (volunteer.id_number, id_number(75))]
    fill = [_message(client.post("/certification/portal/records/", {"volunteer": n, "activity": act.pk, "hours": "1"}))
            for n in (volunteer.id_number, id_number(75))]
    assert sign[0] == sign[1] and fill[0] == fill[1]
    assert volunteer.real_name not in str(sign + fill)
    assert not Attendance.objects.exists() and not ServiceRecord.objects.exists()


def test_identity_forms_are_rate_limited(client, settings):
    settings.CERTIFICATION_IDENTITY_RATE = "2/min"
    user = UserFactory()
    client.force_login(user)
    for n in (76, 77):  # the third try is refused before it is looked at
        client.post("/certification/portal/register/", {"id_number": id_number(n), "claim_code": "Q" * 10})
    res = client.post("/certification/portal/register/", {"real_name": "新人", "id_number": id_number(78),
                                                            "consent": "1"})
    assert _message(res) == "操作过于频繁，请稍后再试。"
    assert not Volunteer.objects.filter(user=user).exists()
    api = APIClient()
    api.force_authenticate(UserFactory())
    codes = [api.post("/api/v1/certification/volunteers/claim/", {"id_number": id_number(79), "code": "Q" * 10},
                      format="json").status_code for _i in range(3)]
    assert codes == [400, 400, 429]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_accounts_claiming_with_the_same_code_at_once_one_wins(settings, tmp_path):
    """The claim locks the entered record: one account gets it, the other is refused (the
    code is used), never both and never a 500."""
    call_command("setup_demo", "--no-demo", verbosity=0)
    settings.CERTIFICATION_DEV_KEY_PATH = tmp_path / "key.pem"
    org = OrganizationFactory()
    mgr = org_user(org, username="claim_mgr")
    entered = volunteer_register(actor=mgr, organization=org, real_name="并发认领", id_number=id_number(89),
                                 consent=True)
    code, _claim = claim_code_issue(actor=mgr, volunteer_id=entered.pk)
    people = [UserFactory(username=f"claimer{i}") for i in range(2)]
    barrier, outcomes = threading.Barrier(2), []

    def go(person):
        try:
            barrier.wait()
            volunteer_claim(actor=person, id_number=entered.id_number, code=code)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(p,)) for p in people]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(outcomes) == ["ClaimRefused", "ok"]
    entered.refresh_from_db()
    assert entered.user in people
    assert ClaimCode.objects.get().used_at is not None


def test_an_organization_entering_a_person_learns_nothing_of_another_ones_entry(entered, manager):
    other_org = OrganizationFactory()
    other_mgr = org_user(other_org)
    api = APIClient()
    api.force_authenticate(other_mgr)
    res = api.post("/api/v1/certification/volunteers/", {"real_name": "赵老伯", "id_number": entered.id_number,
                                                         "organization": other_org.pk, "consent": True}, format="json")
    assert res.status_code == 201  # as for a number nobody entered
    theirs = Volunteer.objects.get(pk=res.data["id"])
    assert theirs.pk != entered.pk and selectors.approved_hours(theirs) == 0
    again = api.post("/api/v1/certification/volunteers/", {"real_name": "赵老伯", "id_number": entered.id_number,
                                                           "organization": other_org.pk, "consent": True}, format="json")
    assert again.status_code == 400  # its own entry twice: it knows that one
    assert Volunteer.objects.filter(id_number=entered.id_number).count() == 2
    code, _claim = claim_code_issue(actor=other_mgr, volunteer_id=theirs.pk)
    person = UserFactory()
    assert volunteer_claim(actor=person, id_number=entered.id_number, code=code).pk == theirs.pk
    entered.refresh_from_db()
    assert entered.user_id is None  # the first organization's record stays unclaimed
