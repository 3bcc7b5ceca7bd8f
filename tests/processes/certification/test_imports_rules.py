"""An imported row is held to the certification services' rules, not to a copy of them: a row
the service refuses is reported with its file row number, and nothing of the file is written."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from engine.audit.models import AuditEvent
from engine.cases.errors import NotAllowed, RuleViolation
from engine.imports.services import preview_import, run_import, submit_import
from processes.certification.models import ServiceRecord, Volunteer
from processes.certification.services.registry import record_enter, volunteer_register
from tests.factories import OrganizationFactory, UserFactory, org_user

from .conftest import id_number, make_activity

pytestmark = pytest.mark.django_db

RECORD_HEADER = ["身份证号", "活动编号", "服务时长（小时）"]
VOLUNTEER_HEADER = ["姓名", "身份证号", "录入组织", "本人同意录入"]


def csv(header, rows):
    return ("\n".join(",".join(str(c) for c in row) for row in [header, *rows]) + "\n").encode("utf-8")


@pytest.fixture
def three_volunteers(org, manager):
    return [volunteer_register(actor=manager, organization=org, real_name=f"录入{n}", id_number=id_number(n),
                               consent=True) for n in (81, 82, 83)]


def test_a_back_fill_over_the_activity_length_is_refused_with_its_row_and_nothing_is_written(
        org, manager, three_volunteers):
    """R12: the cap is record_enter's; row 3 asks 9 hours of an 8-hour activity."""
    activity = make_activity(org, manager, name="八小时活动", hours=8)
    first, second, third = three_volunteers
    data = csv(RECORD_HEADER, [[first.id_number, activity.pk, "4"], [second.id_number, activity.pk, "9"],
                               [third.id_number, activity.pk, "8"]])
    report = run_import("service_records", data, "r.csv", user=manager)
    with pytest.raises(RuleViolation) as by_hand:  # the very refusal the service gives by hand
        record_enter(actor=manager, volunteer=second, activity=activity, hours="9", submit=True)
    assert (report.ok, report.total_rows, report.error_count) == (False, 3, 1)
    assert report.errors[0]["row"] == 3
    assert report.errors[0]["message"].startswith(str(by_hand.value.message))
    assert not ServiceRecord.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["certification.record.enter", "import.done"]).exists()


def test_the_dry_run_and_the_job_name_the_same_row(org, manager, three_volunteers, settings, tmp_path):
    """The engine's preview and job (what its upload API runs) report the service's refusal."""
    settings.IMPORT_FILE_ROOT = tmp_path / "private-imports"
    activity = make_activity(org, manager, name="两小时活动", hours=2)
    data = csv(RECORD_HEADER, [[v.id_number, activity.pk, hours] for v, hours in zip(three_volunteers, ["2", "1", "2.5"])])
    preview = preview_import("service_records", data, "r.csv", user=manager)
    assert [e["row"] for e in preview.errors] == [4] and "不能超过活动时长" in preview.errors[0]["message"]
    job = submit_import("service_records", SimpleUploadedFile("r.csv", data), "r.csv", user=manager)
    assert (job.status, job.error_count, job.error_report[0]["row"]) == ("failed", 1, 4)
    assert not ServiceRecord.objects.exists()


def test_the_late_flag_is_the_services(org, manager, three_volunteers):
    """R3: a record entered long after its activity is accepted and flagged late by record_enter."""
    recent = make_activity(org, manager, name="昨天的活动", hours=3, days_ago=1)
    old = make_activity(org, manager, name="两月前的活动", hours=3, days_ago=60)
    data = csv(RECORD_HEADER, [[three_volunteers[0].id_number, recent.pk, "3"],
                               [three_volunteers[0].id_number, old.pk, "3"]])
    assert run_import("service_records", data, "r.csv", user=manager).ok
    lateness = dict(ServiceRecord.objects.values_list("activity_id", "late"))
    assert lateness == {recent.pk: False, old.pk: True}


def test_a_volunteer_row_for_another_organization_gets_the_services_refusal_in_its_column(org, manager):
    """R4 is checked once, in services.entries: the row is refused exactly as entering the
    same person by hand, under the 录入组织 column, and nothing of the file is written."""
    other = OrganizationFactory(name="别的志愿者协会")
    data = csv(VOLUNTEER_HEADER, [["张三", id_number(91), org.name, "是"], ["李四", id_number(92), other.name, "是"]])
    report = run_import("volunteers", data, "v.csv", user=manager)
    with pytest.raises(NotAllowed) as by_hand:
        volunteer_register(actor=manager, organization=other, real_name="李四", id_number=id_number(92), consent=True)
    assert [(e["row"], e["column"], e["message"]) for e in report.errors] == [(3, "录入组织", str(by_hand.value.message))]
    assert not Volunteer.objects.exists()


def test_a_volunteer_row_without_consent_is_refused_in_the_consent_column(org, manager):
    data = csv(VOLUNTEER_HEADER, [["张三", id_number(93), org.name, "是"], ["李四", id_number(94), org.name, "否"],
                                  ["王五", id_number(95), org.name, ""]])
    report = run_import("volunteers", data, "v.csv", user=manager)
    with pytest.raises(RuleViolation) as by_hand:
        volunteer_register(actor=manager, organization=org, real_name="李四", id_number=id_number(94), consent=False)
    assert [(e["row"], e["column"]) for e in report.errors] == [(3, "本人同意录入"), (4, "本人同意录入")]
    assert {e["message"] for e in report.errors} == {str(by_hand.value.message)}
    assert not Volunteer.objects.exists()


def test_a_superuser_enters_for_any_organization_and_consent_still_counts(org):
    admin = UserFactory(username="imports_admin", is_superuser=True, is_staff=True)
    data = csv(VOLUNTEER_HEADER, [["张三", id_number(96), org.name, "是"]])
    report = run_import("volunteers", data, "v.csv", user=admin)
    assert report.ok, report.errors
    entry = Volunteer.objects.get(id_number=id_number(96))
    assert entry.registered_by == org and entry.consent_at is not None
    refused = run_import("volunteers", csv(VOLUNTEER_HEADER, [["李四", id_number(97), org.name, "否"]]), "v.csv", user=admin)
    assert [e["row"] for e in refused.errors] == [2]
    assert not Volunteer.objects.filter(id_number=id_number(97)).exists()


def test_an_entry_is_changed_only_by_its_organization(org, manager):
    """R4: a re-import by the entering organization updates its entry; anyone else naming that
    organization is refused by the service (check_entry_change) on the entry's row."""
    entry = volunteer_register(actor=manager, organization=org, real_name="张三", id_number=id_number(98),
                               consent=True, phone="13800000001")
    update = csv(["姓名", "身份证号", "手机号", "录入组织"], [["张三", entry.id_number, "13800000002", org.name]])
    outsider = org_user(OrganizationFactory(name="别的志愿者协会"), username="outsider")
    refused = run_import("volunteers", update, "v.csv", user=outsider)
    assert [(e["row"], e["column"]) for e in refused.errors] == [(2, "身份证号")]
    assert "只能由录入组织更新" in refused.errors[0]["message"]
    entry.refresh_from_db()
    assert entry.phone == "13800000001"
    report = run_import("volunteers", update, "v.csv", user=manager)
    assert report.ok and report.updated == 1
    entry.refresh_from_db()
    assert entry.phone == "13800000002"
