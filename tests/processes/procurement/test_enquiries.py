"""Enquiries during the enquiry period (P10): who may ask and when, who may answer, the audit
events and notifications, the API (public reading, asking, answering, rate limit) and the OCDS
release with ``tender.enquiries``."""
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from engine.audit.models import AuditEvent
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.directory.models import OrganizationMember
from engine.notifications.models import Notification
from engine.workdays.calendar import add_working_days
from processes.procurement import ocds, services
from processes.procurement.models import Enquiry, Tender
from processes.procurement.services import enquiries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()  # the throttle counts in the cache, which outlives each test's database
    yield
    cache.clear()


def ask(people, tender, i=0, title="服务人数", question="服务对象有多少人？"):
    return services.enquiry_ask(actor=people["org_users"][i], tender_id=tender.pk, organization_id=people["orgs"][i].pk,
                                title=title, question=question)


def test_an_organization_asks_in_the_enquiry_period_and_the_department_is_told(drive, people, django_capture_on_commit_callbacks):
    tender = drive.publish()
    with django_capture_on_commit_callbacks(execute=True):
        enquiry = ask(people, tender)
    assert (enquiry.organization, enquiry.asked_by, enquiry.is_answered) == (people["orgs"][0], people["org_users"][0], False)
    # D2: due on the working-day calendar, never after the bidding deadline
    expected, _ = add_working_days(enquiry.asked_at, 3)
    assert enquiry.due_at == min(expected, tender.tender_end)
    event = AuditEvent.objects.get(action="procurement.enquiry.ask")
    assert event.reference == tender.reference and event.after["enquiry"] == enquiry.pk
    told = set(Notification.objects.filter(reference=tender.reference).values_list("user__username", flat=True))
    assert {"p_staff", "p_reviewer", "p_head"} <= told and "p_org0" not in told


def test_due_time_is_capped_at_the_bidding_deadline():
    now = timezone.now()
    soon = Tender(tender_end=now + timedelta(hours=1))
    assert enquiries._due(now, soon) == (soon.tender_end, False)
    later = Tender(tender_end=now + timedelta(days=60))
    assert enquiries._due(now, later) == add_working_days(now, 3)


def test_questions_after_the_enquiry_period_are_refused_with_a_clear_message(drive, people):
    tender = drive.publish()
    with drive.at(tender.enquiry_end + timedelta(seconds=1)):
        with pytest.raises(StateConflict) as refused:
            ask(people, tender)
    assert refused.value.code == "enquiry_period_over"
    assert "答疑期已结束" in str(refused.value.message)
    tender = open_bidding(tender)
    with drive.at(tender.enquiry_end + timedelta(hours=1)):
        with pytest.raises(StateConflict):
            ask(people, tender)
    assert not Enquiry.objects.exists() and not AuditEvent.objects.filter(action="procurement.enquiry.ask").exists()


def test_only_members_of_registered_active_organizations_ask(drive, people):
    tender = drive.publish()
    with pytest.raises(NotAllowed):  # not a member of organization 1
        services.enquiry_ask(actor=people["org_users"][0], tender_id=tender.pk, organization_id=people["orgs"][1].pk,
                             title="t", question="q")
    with pytest.raises(NotAllowed):  # department staff belong to no organization
        services.enquiry_ask(actor=people["staff"], tender_id=tender.pk, organization_id=people["orgs"][0].pk,
                             title="t", question="q")
    people["orgs"][2].registered = False
    people["orgs"][2].save()
    with pytest.raises(NotAllowed):
        ask(people, tender, 2)
    with pytest.raises(RuleViolation) as bad:
        ask(people, tender, title="  ", question="q")
    assert "title" in bad.value.fields
    assert not Enquiry.objects.exists()


def test_a_draft_is_no_ones_to_ask_about(drive, people):
    tender = drive.create()
    with pytest.raises(NotFound):
        ask(people, tender)


def test_invitation_only_tenders_take_questions_from_invited_organizations(drive, people):
    drive.create(method="invited", invitees=people["orgs"][1:])
    tender = drive.publish()
    with pytest.raises(NotAllowed):
        ask(people, tender, 0)
    assert ask(people, tender, 1).organization == people["orgs"][1]


def test_only_the_purchasing_department_answers(drive, people, django_capture_on_commit_callbacks):
    tender = drive.publish()
    enquiry = ask(people, tender)
    with pytest.raises(NotFound):  # an unanswered question of another organization: not theirs to know
        services.enquiry_answer(actor=people["org_users"][1], enquiry_id=enquiry.pk, answer="x")
    for outsider in (people["fin"], people["experts"][0], people["org_users"][0]):
        with pytest.raises(NotAllowed):
            services.enquiry_answer(actor=outsider, enquiry_id=enquiry.pk, answer="x")
    with pytest.raises(RuleViolation):
        services.enquiry_answer(actor=people["staff"], enquiry_id=enquiry.pk, answer="   ")
    assert not Enquiry.objects.get(pk=enquiry.pk).is_answered
    with django_capture_on_commit_callbacks(execute=True):
        answered = services.enquiry_answer(actor=people["reviewer"], enquiry_id=enquiry.pk, answer="约120人。")
    assert (answered.answer, answered.answered_by, answered.is_answered) == ("约120人。", people["reviewer"], True)
    assert AuditEvent.objects.filter(action="procurement.enquiry.answer", reference=tender.reference).count() == 1
    assert Notification.objects.filter(user=people["org_users"][0], reference=tender.reference).exists()
    with pytest.raises(StateConflict) as twice:
        services.enquiry_answer(actor=people["staff"], enquiry_id=enquiry.pk, answer="再答")
    assert twice.value.code == "enquiry_answered"
    with pytest.raises(NotFound):
        services.enquiry_answer(actor=people["staff"], enquiry_id=999999, answer="x")


def open_bidding(tender):
    with time_machine.travel(tender.enquiry_end + timedelta(seconds=1), tick=False):
        services.chronograph_run()
    return Tender.objects.get(pk=tender.pk)


def test_a_bidders_member_in_the_department_may_not_answer(drive, people):
    """D3: a department member who belongs to a bidding organization is a party of the tender."""
    tender = drive.publish()
    enquiry = ask(people, tender)
    OrganizationMember.objects.create(organization=people["orgs"][3], user=people["staff2"])
    tender = open_bidding(tender)
    with drive.at(tender.enquiry_end + timedelta(hours=1)):
        services.bid_submit(actor=people["org_users"][3], tender_id=tender.pk, organization_id=people["orgs"][3].pk,
                            price="90000.00", content="方案")
        with pytest.raises(NotAllowed) as refused:
            services.enquiry_answer(actor=people["staff2"], enquiry_id=enquiry.pk, answer="x")
    assert refused.value.code == "conflict_of_interest"


def test_answers_are_taken_while_bidding_and_close_at_the_deadline(drive, people):
    tender = drive.publish()
    answered, pending = ask(people, tender, 0), ask(people, tender, 1)
    tender = open_bidding(tender)
    assert tender.status == Tender.Status.TENDERING
    with drive.at(tender.enquiry_end + timedelta(hours=1)):
        services.enquiry_answer(actor=people["staff"], enquiry_id=answered.pk, answer="在投标期内答复。")
    with drive.at(tender.tender_end + timedelta(seconds=1)):
        with pytest.raises(StateConflict) as refused:
            services.enquiry_answer(actor=people["staff"], enquiry_id=pending.pk, answer="太晚")
    assert refused.value.code == "enquiry_answer_closed"
    assert not Enquiry.objects.get(pk=pending.pk).is_answered


def _package(tender):
    tender = ocds.public_tenders().get(pk=tender.pk)
    return ocds.release_package([ocds.build_release(tender)], uri="https://example.invalid/r.json")


def test_answers_appear_in_the_ocds_release_without_the_asker_and_validate(drive, people):
    tender = drive.publish()
    first = ask(people, tender, 0, title="服务人数", question="服务对象有多少人？")
    ask(people, tender, 1, title="场地", question="场地谁提供？")
    before = _package(tender)
    assert "enquiries" not in before["releases"][0]["tender"]  # nothing answered yet, nothing published
    release_id = before["releases"][0]["id"]
    services.enquiry_answer(actor=people["staff"], enquiry_id=first.pk, answer="约120人。")
    package = _package(tender)
    assert ocds.validation_errors(package) == []
    section = package["releases"][0]["tender"]
    assert section["hasEnquiries"] is True
    [published] = section["enquiries"]
    assert set(published) == {"id", "date", "title", "description", "answer", "dateAnswered"}
    assert (published["title"], published["description"], published["answer"]) == ("服务人数", "服务对象有多少人？", "约120人。")
    assert published["dateAnswered"].endswith("+08:00")
    assert package["releases"][0]["id"] != release_id  # a new release for the published answer
    text = json.dumps(package, ensure_ascii=False)
    assert people["orgs"][0].name not in text and "场地" not in text  # no asker, no unanswered question
    assert package["extensions"] and "enquiry" in package["extensions"][0]


def test_the_enquiries_extension_is_applied_when_validating(drive, people):
    tender = drive.publish()
    services.enquiry_answer(actor=people["staff"], enquiry_id=ask(people, tender).pk, answer="答复")
    package = _package(tender)
    package["releases"][0]["tender"]["enquiries"][0]["answer"] = 42
    package["releases"][0]["tender"]["enquiries"][0]["dateAnswered"] = "昨天"
    errors = ocds.validation_errors(package)
    assert any("enquiries/0/answer" in e for e in errors) and any("dateAnswered" in e for e in errors)


# --- API ---------------------------------------------------------------------------------

def test_api_reads_answers_publicly_and_hides_who_asked(drive, people):
    tender = drive.publish()
    first = ask(people, tender, 0)
    ask(people, tender, 1, title="场地", question="场地谁提供？")
    services.enquiry_answer(actor=people["staff"], enquiry_id=first.pk, answer="约120人。")
    url = f"/api/v1/procurement/tenders/{tender.reference}/enquiries/"
    anonymous = APIClient().get(url)
    assert anonymous.status_code == 200
    rows = anonymous.json()["results"]
    assert [r["title"] for r in rows] == ["服务人数"] and "organization" not in rows[0]
    asker = APIClient()
    asker.force_authenticate(people["org_users"][1])
    assert sorted(r["title"] for r in asker.get(url).json()["results"]) == ["场地", "服务人数"]  # its own pending one too
    assert APIClient().get("/api/v1/procurement/tenders/ZB-2000-999999/enquiries/").status_code == 404
    drive.tender = None
    draft = drive.create()
    assert APIClient().get(f"/api/v1/procurement/tenders/{draft.reference}/enquiries/").status_code == 404


def test_api_asks_answers_and_lists_for_the_department(drive, people):
    tender = drive.publish()
    url = f"/api/v1/procurement/tenders/{tender.reference}/enquiries/"
    assert APIClient().post(url, {"organization": people["orgs"][0].pk, "title": "t", "question": "q"},
                            format="json").status_code in (401, 403)
    org = APIClient()
    org.force_authenticate(people["org_users"][0])
    r = org.post(url, {"organization": people["orgs"][0].pk, "title": "人数", "question": "多少人？"}, format="json")
    assert r.status_code == 201, r.content
    enquiry_id = r.json()["id"]
    assert org.post(url, {"organization": people["orgs"][0].pk, "title": "", "question": "q"}, format="json").status_code == 400
    staff = APIClient()
    staff.force_authenticate(people["staff"])
    listed = staff.get("/api/v1/procurement/enquiries/?state=unanswered").json()["results"]
    assert [(e["id"], e["organization_name"]) for e in listed] == [(enquiry_id, people["orgs"][0].name)]
    assert org.get("/api/v1/procurement/enquiries/").json()["results"] == []  # an organization answers nothing
    refused = org.post(f"/api/v1/procurement/enquiries/{enquiry_id}/answer/", {"answer": "x"}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    r = staff.post(f"/api/v1/procurement/enquiries/{enquiry_id}/answer/", {"answer": "约120人。"}, format="json")
    assert r.status_code == 200 and r.json()["answered"] is True
    again = staff.post(f"/api/v1/procurement/enquiries/{enquiry_id}/answer/", {"answer": "再答"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "enquiry_answered"
    assert staff.get("/api/v1/procurement/enquiries/?state=unanswered").json()["results"] == []
    with drive.at(tender.enquiry_end + timedelta(seconds=1)):
        late = org.post(url, {"organization": people["orgs"][0].pk, "title": "晚", "question": "q"}, format="json")
    assert late.status_code == 409 and late.json()["code"] == "enquiry_period_over"


def test_asking_is_rate_limited(drive, people, settings):
    settings.PROCUREMENT_ENQUIRY_RATE = "2/hour"
    tender = drive.publish()
    org = APIClient()
    org.force_authenticate(people["org_users"][0])
    url = f"/api/v1/procurement/tenders/{tender.reference}/enquiries/"
    body = {"organization": people["orgs"][0].pk, "title": "t", "question": "q"}
    assert [org.post(url, body, format="json").status_code for _ in range(3)] == [201, 201, 429]
    assert org.get(url).status_code == 200  # reading is not limited
    assert Enquiry.objects.count() == 2


def test_enquiry_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/procurement/tenders/{reference}/enquiries/", "/api/v1/procurement/enquiries/",
                 "/api/v1/procurement/enquiries/{id}/answer/"):
        assert path in schema


def test_the_department_is_reminded_once_of_an_overdue_answer(drive, people, django_capture_on_commit_callbacks):
    tender = drive.publish()
    late, answered = ask(people, tender, 0), ask(people, tender, 1)
    services.enquiry_answer(actor=people["staff"], enquiry_id=answered.pk, answer="已答复")
    with time_machine.travel(late.due_at - timedelta(minutes=1), tick=False):
        assert services.chronograph_run()["overdue_enquiries"] == 0
    with time_machine.travel(late.due_at + timedelta(minutes=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.chronograph_run()["overdue_enquiries"] == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert services.chronograph_run()["overdue_enquiries"] == 0
    reminders = Notification.objects.filter(reference=tender.reference, title__contains="逾期")
    assert sorted(reminders.values_list("user__username", flat=True)) == ["p_head", "p_reviewer", "p_staff", "p_staff2"]
    assert Enquiry.objects.get(pk=late.pk).reminded_at is not None and Enquiry.objects.get(pk=answered.pk).reminded_at is None


def test_the_department_list_refuses_an_unknown_state(people):
    staff = APIClient()
    staff.force_authenticate(people["staff"])
    refused = staff.get("/api/v1/procurement/enquiries/?state=maybe")
    assert refused.status_code == 400 and "state" in refused.json()["fields"]
    assert staff.get("/api/v1/procurement/enquiries/?state=overdue").status_code == 200
