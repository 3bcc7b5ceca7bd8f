"""Seed 二(三) in the portal: a manager marks an activity possibly dangerous, puts volunteers on
its roster, is told who is not insured when starting, records the policy with its document and
then starts; another organization's manager reaches none of it."""
from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from engine.directory.models import OrganizationMember
from engine.documents.models import Document
from engine.documents.samples import pdf_bytes
from processes.certification.models import ActivityParticipant, InsurancePolicy
from processes.certification.services.protection import participant_add
from processes.certification.services.registry import activity_create, volunteer_register
from tests.factories import OrganizationFactory, UserFactory, org_user

from .conftest import id_number

pytestmark = pytest.mark.django_db
PORTAL = "/certification/portal"


@pytest.fixture
def drill(org, manager):
    start = (timezone.localtime() + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    return activity_create(actor=manager, organization=org, name="山地搜救演练", place="登封市",
                           start_at=start, end_at=start + timedelta(hours=8), person_in_charge="钱老师")


@pytest.fixture
def diver(manager, org):
    user = UserFactory(username="diver", full_name="张潜水")
    return volunteer_register(actor=user, user=user, real_name="张潜水", id_number=id_number(31))


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_dangerous_activity_is_insured_and_started_from_the_portal(client, manager, org, drill, diver):
    client.force_login(manager)
    page = client.get("/portal/certification/").content.decode()
    assert f"{PORTAL}/activities/{drill.pk}/risk/" in page and f"{PORTAL}/insurance/" in page

    answer = client.post(f"{PORTAL}/activities/{drill.pk}/risk/", {"dangerous": "1"}, follow=True)
    assert drill.name in said(answer)
    drill.refresh_from_db()
    assert drill.dangerous

    # a volunteer the organization never dealt with is found only with the ID number handed over
    client.post(f"{PORTAL}/activities/{drill.pk}/roster/", {"volunteer": diver.volunteer_number})
    assert not ActivityParticipant.objects.exists()
    client.post(f"{PORTAL}/activities/{drill.pk}/roster/", {"volunteer": diver.volunteer_number,
                                                            "id_number": diver.id_number})
    assert ActivityParticipant.objects.filter(activity=drill, volunteer=diver).exists()

    page = client.get("/portal/certification/").content.decode()
    assert "张潜水（" in page  # named as not covered, and on the roster
    assert f"{PORTAL}/activities/{drill.pk}/start/" not in page  # days ahead: no start button yet
    with time_machine.travel(drill.start_at - timedelta(minutes=20), tick=False):
        page = client.get("/portal/certification/").content.decode()
        assert f"{PORTAL}/activities/{drill.pk}/start/" in page
        refused = client.post(f"{PORTAL}/activities/{drill.pk}/start/", follow=True)
    assert "张潜水" in said(refused)  # the manager is told in full who is not insured
    drill.refresh_from_db()
    assert drill.started_at is None

    policy = {"organization": org.pk, "insurer": "中国人寿", "policy_number": "PL-2026-88",
              "starts_on": timezone.localdate(drill.start_at).isoformat(),
              "ends_on": timezone.localdate(drill.end_at).isoformat(), "insured": f"{diver.volunteer_number}\n"}
    file = SimpleUploadedFile("保单.pdf", pdf_bytes("保单"), content_type="application/pdf")
    recorded = client.post(f"{PORTAL}/insurance/", {**policy, "files": [file]}, follow=True)
    assert "PL-2026-88" in said(recorded)
    stored = InsurancePolicy.objects.get()
    assert list(stored.insured.all()) == [diver]
    assert Document.objects.filter(case_id=stored.pk, kind="insurance_policy").exists()

    early = client.post(f"{PORTAL}/activities/{drill.pk}/start/", follow=True)
    assert "签到开放" in said(early)
    with time_machine.travel(drill.start_at - timedelta(minutes=20), tick=False):
        client.post(f"{PORTAL}/activities/{drill.pk}/start/")
    drill.refresh_from_db()
    assert drill.started_at is not None


def test_a_wrong_roster_entry_is_taken_off_before_the_start(client, manager, drill, diver):
    client.force_login(manager)
    client.post(f"{PORTAL}/activities/{drill.pk}/roster/", {"volunteer": diver.volunteer_number,
                                                            "id_number": diver.id_number})
    page = client.get("/portal/certification/").content.decode()
    assert f"{PORTAL}/activities/{drill.pk}/roster/remove/" in page
    answer = client.post(f"{PORTAL}/activities/{drill.pk}/roster/remove/", {"volunteer": diver.pk}, follow=True)
    assert "移出" in said(answer) and not ActivityParticipant.objects.exists()
    again = client.post(f"{PORTAL}/activities/{drill.pk}/roster/remove/", {"volunteer": "x"}, follow=True)
    assert again.status_code == 200 and "不在" in said(again)


def test_a_policy_naming_an_unknown_volunteer_stores_nothing(client, manager, org, diver):
    client.force_login(manager)
    file = SimpleUploadedFile("保单.pdf", pdf_bytes("保单"), content_type="application/pdf")
    answer = client.post(f"{PORTAL}/insurance/", {
        "organization": org.pk, "insurer": "中国人寿", "policy_number": "PL-1", "starts_on": "2026-12-01",
        "ends_on": "2026-12-31", "insured": diver.volunteer_number, "files": [file]}, follow=True)
    assert diver.volunteer_number in said(answer)  # named, registered elsewhere or not
    assert not InsurancePolicy.objects.exists() and not Document.objects.exists()

    for starts_on, says in (("2026-02-30", "YYYY-MM-DD"), ("0202-05-01", "2000-01-01")):  # no such day; a mistyped year
        bad_day = client.post(f"{PORTAL}/insurance/", {
            "organization": org.pk, "insurer": "中国人寿", "policy_number": "PL-1", "starts_on": starts_on,
            "ends_on": "2026-12-31", "insured": diver.volunteer_number}, follow=True)
        assert bad_day.status_code == 200 and says in said(bad_day) and "保障起始日" in said(bad_day)
    assert not InsurancePolicy.objects.exists()


def test_another_organizations_manager_and_a_plain_member_reach_nothing(client, org, drill, diver, manager):
    """Both get "no such activity" (or "choose an organization"), the same answer as for an
    activity that does not exist, before any volunteer is looked up; nothing changes."""
    participant_add(actor=manager, activity=drill, volunteer=diver, id_number=diver.id_number)
    stranger = org_user(OrganizationFactory(name="别家协会"), username="stranger")
    plain = UserFactory(username="plain_member")
    OrganizationMember.objects.create(organization=org, user=plain, role=OrganizationMember.Role.MEMBER)
    file = SimpleUploadedFile("保单.pdf", pdf_bytes("保单"), content_type="application/pdf")
    for outsider in (stranger, plain):
        client.force_login(outsider)
        for action in ("risk", "start", "roster", "roster/remove"):
            answer = client.post(f"{PORTAL}/activities/{drill.pk}/{action}/", {
                "dangerous": "1", "volunteer": diver.volunteer_number, "id_number": diver.id_number}, follow=True)
            if action == "roster/remove":
                answer = client.post(f"{PORTAL}/activities/{drill.pk}/{action}/", {"volunteer": diver.pk}, follow=True)
            assert said(answer) == said(client.post(f"{PORTAL}/activities/0/{action}/", follow=True)) == "活动不存在。"
        answer = client.post(f"{PORTAL}/insurance/", {
            "organization": org.pk, "insurer": "中国人寿", "policy_number": "PL-9", "starts_on": "2026-12-01",
            "ends_on": "2026-12-31", "insured": diver.volunteer_number, "files": [file]}, follow=True)
        assert "请选择组织" in said(answer)
    drill.refresh_from_db()
    assert not drill.dangerous and drill.started_at is None
    assert ActivityParticipant.objects.filter(activity=drill).count() == 1 and not InsurancePolicy.objects.exists()
