"""R12: sign-in records are made only by signing in and out (server time, clipped to the
activity, pending approval); everything typed by hand is a back-fill, capped, approved by a
manager other than the one who entered it — or, in a single-manager organization, by the
supervising department."""
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from engine.audit.models import AuditEvent
from engine.cases.errors import DomainError, NotAllowed, NotFound, RuleViolation, StateConflict
from engine.notifications.models import Notification
from processes.certification.models import Attendance, ServiceRecord
from processes.certification.services.attendance import sign_in, sign_out
from processes.certification.services.registry import (
    activity_create,
    record_approve,
    record_deny,
    record_enter,
    volunteer_register,
)
from tests.factories import OrganizationFactory, UserFactory, member, org_user

from .conftest import id_number, make_activity, signed

pytestmark = pytest.mark.django_db


def at(moment):
    return time_machine.travel(moment, tick=False)


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.fixture
def unregistered(org, manager):
    """A volunteer the organization entered, without an account."""
    return volunteer_register(actor=manager, organization=org, real_name="赵老伯", id_number=id_number(61),
                              consent=True)


def test_volunteer_signs_in_and_out_and_the_record_waits_for_approval_with_audit(volunteer, vol_user, activity,
                                                                                  manager):
    with at(activity.start_at + timedelta(minutes=30)):
        attendance = sign_in(actor=vol_user, volunteer=volunteer, activity=activity)
    with at(activity.start_at + timedelta(hours=5)):
        record = sign_out(actor=vol_user, volunteer=volunteer, activity=activity)
    assert (record.source, record.status, record.hours) == ("signin", "pending", Decimal("4.50"))
    attendance.refresh_from_db()
    assert attendance.record == record and attendance.signed_out_at == activity.start_at + timedelta(hours=5)
    assert attendance.signed_in_at == activity.start_at + timedelta(minutes=30)  # the server's time
    actions = list(AuditEvent.objects.filter(action__startswith="certification.").order_by("pk")
                   .values_list("action", flat=True))
    assert actions[-3:] == ["certification.attendance.sign_in", "certification.attendance.sign_out",
                            "certification.record.enter"]
    enter = AuditEvent.objects.get(action="certification.record.enter")
    assert enter.after == {"status": "pending", "hours": "4.50", "source": "signin", "late": False}
    assert record_approve(actor=manager, record_id=record.pk).status == "approved"


def test_time_outside_the_activity_does_not_count_and_hours_never_exceed_its_length(volunteer, vol_user, org,
                                                                                      manager):
    act = make_activity(org, manager, name="四小时活动", hours=4, days_ago=2)
    with at(act.start_at - timedelta(minutes=25)):  # early, travelling there
        sign_in(actor=vol_user, volunteer=volunteer, activity=act)
    with at(act.end_at + timedelta(minutes=90)):  # late, travelling back
        record = sign_out(actor=vol_user, volunteer=volunteer, activity=act)
    assert record.hours == act.length_hours == Decimal("4.00")


def test_sign_in_window_is_a_setting(volunteer, vol_user, org, manager, settings):
    act = make_activity(org, manager, name="窗口", hours=2, days_ago=2)
    with at(act.start_at - timedelta(minutes=31)), pytest.raises(RuleViolation):
        sign_in(actor=vol_user, volunteer=volunteer, activity=act)
    with at(act.end_at + timedelta(minutes=1)), pytest.raises(RuleViolation):
        sign_in(actor=vol_user, volunteer=volunteer, activity=act)  # over: a back-fill now
    settings.CERTIFICATION_SIGNIN_OPENS_MINUTES = 60
    with at(act.start_at - timedelta(minutes=59)):
        sign_in(actor=vol_user, volunteer=volunteer, activity=act)
    with at(act.start_at - timedelta(minutes=10)), pytest.raises(RuleViolation):
        sign_out(actor=vol_user, volunteer=volunteer, activity=act)  # nothing served yet
    assert not ServiceRecord.objects.exists()


def test_sign_out_closes_a_setting_after_the_end(volunteer, vol_user, org, manager, settings):
    act = make_activity(org, manager, name="签退期限", hours=2, days_ago=2)
    with at(act.start_at):
        sign_in(actor=vol_user, volunteer=volunteer, activity=act)
    with at(act.end_at + timedelta(minutes=121)), pytest.raises(RuleViolation):
        sign_out(actor=vol_user, volunteer=volunteer, activity=act)
    settings.CERTIFICATION_SIGNOUT_CLOSES_MINUTES = 180
    with at(act.end_at + timedelta(minutes=121)):
        assert sign_out(actor=vol_user, volunteer=volunteer, activity=act).hours == Decimal("2.00")


def test_sign_out_before_sign_in_and_double_sign_in_are_409_by_api(volunteer, vol_user, activity):
    c = api(vol_user)
    url = f"/api/v1/certification/activities/{activity.pk}/"
    with at(activity.start_at + timedelta(hours=1)):
        assert c.post(url + "sign-out/").status_code == 409
        res = c.post(url + "sign-in/")
        assert res.status_code == 201, res.data
        assert res.data["signed_out_at"] is None
        assert c.post(url + "sign-in/").status_code == 409
    with at(activity.start_at + timedelta(hours=3)):
        res = c.post(url + "sign-out/")
        assert res.status_code == 200, res.data
        assert res.data["record"]["hours"] == "2.00" and res.data["record"]["source"] == "signin"
        assert c.post(url + "sign-out/").status_code == 409
    assert Attendance.objects.count() == 1 and ServiceRecord.objects.count() == 1


def test_sign_in_refused_when_the_volunteer_already_has_a_record(volunteer, vol_user, activity, manager):
    record_enter(actor=manager, volunteer=volunteer, id_number=volunteer.id_number, activity=activity, hours=1)
    with at(activity.start_at), pytest.raises(StateConflict):
        sign_in(actor=vol_user, volunteer=volunteer, activity=activity)


def test_manager_signs_in_on_the_spot_only_for_a_volunteer_without_an_account(volunteer, unregistered, activity,
                                                                               manager, manager2):
    with at(activity.start_at):
        with pytest.raises(NotFound):  # a self-registered volunteer the organization never had: not found
            sign_in(actor=manager, volunteer=volunteer, activity=activity)
        with pytest.raises(NotAllowed):  # handed over the ID number, but has an account: signs themself
            sign_in(actor=manager, volunteer=volunteer, activity=activity, id_number=volunteer.id_number)
        sign_in(actor=manager, volunteer=unregistered, activity=activity)
    with at(activity.start_at + timedelta(hours=2)):
        record = sign_out(actor=manager2, volunteer=unregistered, activity=activity)
    assert (record.source, record.status, record.hours) == ("signin", "pending", Decimal("2.00"))
    assert record_approve(actor=manager, record_id=record.pk).status == "approved"


def test_wrong_actors_cannot_sign_anyone_in(volunteer, unregistered, activity, org):
    stranger, other_manager = UserFactory(), org_user(OrganizationFactory())
    with at(activity.start_at):
        for actor, who in ((stranger, volunteer), (other_manager, volunteer), (other_manager, unregistered),
                           (stranger, unregistered)):
            with pytest.raises(NotAllowed):
                sign_in(actor=actor, volunteer=who, activity=activity)
        assert api(other_manager).post(f"/api/v1/certification/activities/{activity.pk}/sign-in/",
                                       {"volunteer": unregistered.pk}, format="json").status_code == 403
    assert not Attendance.objects.exists()
    assert not AuditEvent.objects.filter(action="certification.attendance.sign_in").exists()


def test_manager_cannot_type_a_sign_in_record_service_api_or_portal(client, volunteer, activity, manager):
    with pytest.raises(RuleViolation):
        record_enter(actor=manager, volunteer=volunteer, id_number=volunteer.id_number, activity=activity, hours=2, source="signin")
    res = api(manager).post("/api/v1/certification/records/", {
        "volunteer": volunteer.pk, "id_number": volunteer.id_number, "activity": activity.pk, "hours": "2",
        "source": "signin"}, format="json")
    assert res.status_code == 400 and "source" in str(res.data)
    client.force_login(manager)
    page = client.get("/portal/certification/").content.decode()
    assert 'name="source"' not in page and "手工补录服务时长" in page
    client.post("/certification/portal/records/", {"volunteer": volunteer.volunteer_number, "id_number": volunteer.id_number, "activity": activity.pk,
                                                   "hours": "2", "source": "signin"})
    assert not ServiceRecord.objects.exists()
    res = api(manager).post("/api/v1/certification/records/", {
        "volunteer": volunteer.pk, "id_number": volunteer.id_number, "activity": activity.pk, "hours": "2"},
        format="json")
    assert res.status_code == 201 and res.data["source"] == "backfill"


def test_single_manager_back_fill_is_approved_by_the_supervising_department(volunteer, vol_user,
                                                                           django_capture_on_commit_callbacks):
    org = OrganizationFactory(name="单负责人组织")  # supervised by 金水区民政局
    only = org_user(org, username="only_mgr")
    act = make_activity(org, only, name="补录", hours=3)
    js_staff = member("mca-jinshui", "staff", username="js_staff")
    erqi_staff = member("mca-erqi", "staff", username="erqi_staff")
    with django_capture_on_commit_callbacks(execute=True):
        record = record_enter(actor=only, volunteer=volunteer, id_number=volunteer.id_number, activity=act, hours="2.5", submit=True)
    assert record.status == "pending"
    assert Notification.objects.filter(user=js_staff, kind="certification.record").exists()
    assert not Notification.objects.filter(user=only, kind="certification.record").exists()
    for wrong in (only, erqi_staff, vol_user):
        with pytest.raises(NotAllowed):
            record_approve(actor=wrong, record_id=record.pk)
    assert api(only).post(f"/api/v1/certification/records/{record.pk}/approve/").status_code == 403
    assert api(js_staff).get("/api/v1/certification/records/?status=pending").data["count"] == 1
    res = api(js_staff).post(f"/api/v1/certification/records/{record.pk}/approve/")
    assert res.status_code == 200 and res.data["status"] == "approved"
    event = AuditEvent.objects.get(action="certification.record.approve")
    assert event.actor == js_staff


def test_department_may_deny_a_single_managers_back_fill_and_the_manager_may_withdraw_it(volunteer):
    org = OrganizationFactory(name="单负责人组织二")
    only = org_user(org, username="only_mgr2")
    js_staff = member("mca-jinshui", "staff", username="js_staff2")
    a1, a2 = make_activity(org, only, name="一", hours=3), make_activity(org, only, name="二", hours=3)
    r1 = record_enter(actor=only, volunteer=volunteer, id_number=volunteer.id_number, activity=a1, hours=2, submit=True)
    r2 = record_enter(actor=only, volunteer=volunteer, id_number=volunteer.id_number, activity=a2, hours=2, submit=True)
    assert record_deny(actor=js_staff, record_id=r1.pk, reason="无签到依据").status == "denied"
    assert record_deny(actor=only, record_id=r2.pk, reason="录错").status == "denied"


def test_with_another_manager_the_department_does_not_approve(volunteer, activity, manager, manager2,
                                                              django_capture_on_commit_callbacks):
    js_staff = member("mca-jinshui", "staff", username="js_staff3")
    with django_capture_on_commit_callbacks(execute=True):
        record = record_enter(actor=manager, volunteer=volunteer, id_number=volunteer.id_number, activity=activity, hours=2, submit=True)
    assert Notification.objects.filter(user=manager2, kind="certification.record").exists()
    with pytest.raises(NotAllowed):
        record_approve(actor=js_staff, record_id=record.pk)
    with pytest.raises(NotAllowed):
        record_approve(actor=manager, record_id=record.pk)
    assert record_approve(actor=manager2, record_id=record.pk).status == "approved"


def test_portal_sign_in_and_out_buttons(client, volunteer, vol_user, org, manager):
    now = timezone.now()

    act = activity_create(actor=manager, organization=org, name="正在进行的活动", place="郑州",
                          start_at=now - timedelta(hours=1), end_at=now + timedelta(hours=2), person_in_charge="某")
    client.force_login(vol_user)
    page = client.get("/portal/certification/").content.decode()
    assert f"/certification/portal/activities/{act.pk}/sign-in/" in page
    client.post(f"/certification/portal/activities/{act.pk}/sign-in/")
    assert Attendance.objects.filter(volunteer=volunteer, activity=act).exists()
    page = client.get("/portal/certification/").content.decode()
    assert f"/certification/portal/activities/{act.pk}/sign-out/" in page
    assert f"/certification/portal/activities/{act.pk}/sign-in/" not in page
    with at(now + timedelta(minutes=30)):
        client.post(f"/certification/portal/activities/{act.pk}/sign-out/")
    record = ServiceRecord.objects.get(activity=act)
    assert (record.source, record.status, record.hours) == ("signin", "pending", Decimal("0.50"))  # from the sign-in


def test_portal_manager_signs_in_a_volunteer_without_an_account(client, unregistered, volunteer, org, manager):
    now = timezone.now()
    act = activity_create(actor=manager, organization=org, name="现场", place="郑州",
                          start_at=now - timedelta(hours=1), end_at=now + timedelta(hours=1), person_in_charge="某")
    client.force_login(manager)
    assert "现场代签" in client.get("/portal/certification/").content.decode()
    client.post(f"/certification/portal/activities/{act.pk}/sign-in/", {"volunteer": volunteer.volunteer_number})
    assert not Attendance.objects.exists()  # has an account: signs themself
    client.post(f"/certification/portal/activities/{act.pk}/sign-in/", {"volunteer": unregistered.volunteer_number})
    assert Attendance.objects.get().volunteer == unregistered


def test_api_lists_activities_open_for_sign_in(vol_user, org, manager):
    now = timezone.now()
    soon = activity_create(actor=manager, organization=org, name="即将开始", place="郑州",
                           start_at=now + timedelta(minutes=20), end_at=now + timedelta(hours=2), person_in_charge="某")
    activity_create(actor=manager, organization=org, name="明天", place="郑州", start_at=now + timedelta(days=1),
                    end_at=now + timedelta(days=1, hours=2), person_in_charge="某")
    res = api(vol_user).get("/api/v1/certification/activities/?signin=open")
    assert [a["id"] for a in res.data["results"]] == [soon.pk]


def test_department_approves_single_manager_back_fills_on_the_workbench(client, volunteer, org, manager,
                                                                        django_assert_max_num_queries):
    only_org = OrganizationFactory(name="单负责人组织三")
    only = org_user(only_org, username="only_mgr3")
    js_staff = member("mca-jinshui", "staff", username="js_staff4")
    mine = record_enter(actor=only, volunteer=volunteer, id_number=volunteer.id_number, activity=make_activity(only_org, only, name="甲"), hours=2,
                        submit=True)
    # an organization with two managers: its back-fills are not the department's
    org_user(org, username="second_mgr")
    record_enter(actor=manager, volunteer=volunteer, id_number=volunteer.id_number, activity=make_activity(org, manager, name="乙"), hours=2,
                 submit=True)
    client.force_login(js_staff)
    url = "/workbench/certificates/backfills/"
    with django_assert_max_num_queries(25):
        page = client.get(url).content.decode()
    assert f'data-record="{mine.pk}"' in page and page.count("data-record=") == 1
    for i in range(5):
        record_enter(actor=only, volunteer=volunteer, id_number=volunteer.id_number, activity=make_activity(only_org, only, name=f"丙{i}"),
                     hours=1, submit=True)
    with django_assert_max_num_queries(25):
        assert client.get(url).content.decode().count("data-record=") == 6
    client.post(url, {"record": mine.pk, "decision": "deny", "reason": ""})
    mine.refresh_from_db()
    assert mine.status == "pending"  # a denial needs a reason
    client.post(url, {"record": mine.pk, "decision": "approve"})
    mine.refresh_from_db()
    assert mine.status == "approved" and mine.reviewed_by == js_staff
    client.force_login(member("mca-erqi", "staff", username="erqi_staff2"))
    assert "data-record=" not in client.get(url).content.decode()


def test_portal_says_who_approves_a_back_fill_instead_of_offering_a_refused_button(client, volunteer, vol_user):
    only_org = OrganizationFactory(name="单负责人组织四")
    only = org_user(only_org, username="only_mgr4")
    mine = record_enter(actor=only, volunteer=volunteer, id_number=volunteer.id_number, activity=make_activity(only_org, only, name="甲"), hours=2,
                        submit=True)
    other = signed(volunteer, make_activity(only_org, only, name="乙"), 2)
    client.force_login(only)
    page = client.get("/portal/certification/").content.decode()
    assert f"/certification/portal/records/{mine.pk}/approve/" not in page and "待金水区民政局审核" in page
    assert f"/certification/portal/records/{other.pk}/approve/" in page  # sign-in records: any manager
    assert f"/certification/portal/records/{mine.pk}/deny/" in page  # may still withdraw their own entry


def test_sign_in_record_of_an_organization_without_managers_is_reviewed_by_its_department(volunteer, activity,
                                                                                           org, manager):
    record = signed(volunteer, activity, 2)
    js_staff = member("mca-jinshui", "staff", username="js_staff5")
    with pytest.raises(NotAllowed):
        record_approve(actor=js_staff, record_id=record.pk)  # its manager answers
    org.organizationmember_set.all().delete()
    assert record_approve(actor=js_staff, record_id=record.pk).status == "approved"


def test_no_sign_in_at_an_organization_that_has_dissolved(volunteer, vol_user, activity, org):
    type(org).objects.filter(pk=org.pk).update(status="dissolved")
    with at(activity.start_at), pytest.raises(StateConflict):
        sign_in(actor=vol_user, volunteer=volunteer, activity=activity)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sign_ins_at_once_make_one_attendance(settings, tmp_path):
    call_command("setup_demo", "--no-demo", verbosity=0)
    settings.CERTIFICATION_DEV_KEY_PATH = tmp_path / "key.pem"
    org = OrganizationFactory()
    mgr = org_user(org, username="race_mgr")
    vol_user = UserFactory(username="race_signer")
    volunteer = volunteer_register(actor=vol_user, user=vol_user, real_name="并发", id_number=id_number(88))
    act = make_activity(org, mgr, name="并发签到", hours=3)
    barrier, outcomes = threading.Barrier(2), []

    def go():
        try:
            barrier.wait()
            sign_in(actor=vol_user, volunteer=volunteer, activity=act)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    with at(act.start_at):  # one clock for both threads (time-machine patches the process)
        threads = [threading.Thread(target=go) for _ in range(2)]
        [t.start() for t in threads]
        [t.join() for t in threads]
    assert sorted(outcomes) == ["StateConflict", "ok"]
    assert Attendance.objects.count() == 1
