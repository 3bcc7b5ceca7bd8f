"""Volunteer and record imports through the streaming pipeline (issues #12, #13): chunks inside
one transaction, one block of volunteer numbers, one summary audit event, capped errors, and
records entered by the record-entry service."""
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from engine.audit.models import AuditEvent
from engine.cases.models import ReferenceSequence
from engine.imports.pipeline import file_digest
from engine.imports.pipeline import run as pipeline_run
from engine.imports.services import run_import
from processes.certification.models import ServiceRecord, Volunteer
from processes.certification.services.registry import volunteer_register
from tests.factories import OrganizationFactory, UserFactory, org_user

from .conftest import id_number, make_activity

HEADER = ["姓名", "身份证号", "录入组织", "本人同意录入"]


def csv(rows, header=HEADER):
    return ("\n".join(",".join(str(c) for c in row) for row in [header, *rows]) + "\n").encode("utf-8")


def volunteers(org, serials, consent="是"):
    return [[f"志愿者{n}", id_number(n), org.name, consent] for n in serials]


def _numbers():
    return sorted(int(n.rsplit("-", 1)[1]) for n in Volunteer.objects.values_list("volunteer_number", flat=True))


@pytest.mark.django_db
def test_volunteers_are_written_a_chunk_at_a_time_with_one_summary_event(settings, org, manager):
    settings.IMPORT_CHUNK_SIZE = 3
    data = csv(volunteers(org, range(100, 108)))
    events_before = AuditEvent.objects.count()
    report = run_import("volunteers", data, "v.csv", user=manager)
    assert report.ok and (report.total_rows, report.created) == (8, 8), report.errors
    numbers = _numbers()
    assert numbers == list(range(numbers[0], numbers[0] + 8))  # gap-free, contiguous across chunks
    assert ReferenceSequence.objects.get(prefix="ZY", year=timezone.localdate().year).last == numbers[-1]
    # one event for the import (rows, file digest, actor), not one per volunteer
    assert AuditEvent.objects.count() == events_before + 1
    summary = AuditEvent.objects.get(action="import.done")
    assert summary.actor == manager and summary.after["rows"] == 8 and summary.after["sha256"] == file_digest(data)


@pytest.mark.django_db
def test_one_bad_row_in_a_later_chunk_writes_nothing_and_takes_no_number(settings, org, manager):
    settings.IMPORT_CHUNK_SIZE = 3
    rows = volunteers(org, range(110, 117)) + volunteers(org, [117], consent="否")
    report = run_import("volunteers", csv(rows), "v.csv", user=manager)
    assert not report.ok and [e["row"] for e in report.errors] == [9]
    assert not Volunteer.objects.exists()
    assert not ReferenceSequence.objects.filter(prefix="ZY", last__gt=0).exists()
    assert not AuditEvent.objects.filter(action="import.done").exists()


@pytest.mark.django_db
def test_only_the_first_errors_are_kept_but_all_are_counted(settings, org, manager):
    settings.IMPORT_MAX_REPORTED_ERRORS = 5
    settings.IMPORT_CHUNK_SIZE = 4
    report = run_import("volunteers", csv(volunteers(org, range(120, 132), consent="否")), "v.csv", user=manager)
    assert (len(report.errors), report.error_count) == (5, 12)
    assert [e["row"] for e in report.errors] == [2, 3, 4, 5, 6] and "12" in report.summary()
    assert "另有7处错误未列出" in report.error_lines()[-1]
    assert not Volunteer.objects.exists()


@pytest.mark.django_db
def test_a_repeated_id_number_updates_the_earlier_row_in_or_across_chunks(settings, org, manager):
    settings.IMPORT_CHUNK_SIZE = 2
    rows = volunteers(org, [140, 141]) + [["改名一", id_number(140), org.name, "是"]] \
        + volunteers(org, [142]) + [["改名二", id_number(142), org.name, "是"]]
    report = run_import("volunteers", csv(rows), "v.csv", user=manager)
    assert report.ok, report.errors
    assert dict(Volunteer.objects.values_list("id_number", "real_name")) == {
        id_number(140): "改名一", id_number(141): "志愿者141", id_number(142): "改名二"}


@pytest.mark.django_db
def test_records_go_through_the_record_entry_service(org, manager, entered_volunteer):
    """R1, R12 and R3 are the service's: its audit event per record, the late flag, the cap."""
    old = make_activity(org, manager, name="月前的活动", hours=4, days_ago=40)
    header = ["身份证号", "活动编号", "服务时长（小时）"]
    report = run_import("service_records", csv([[entered_volunteer.id_number, old.pk, "3.5"]], header), "r.csv", user=manager)
    assert report.ok, report.errors
    record = ServiceRecord.objects.get()
    assert (record.hours, record.late, record.status, record.source) == (Decimal("3.50"), True, "pending", "backfill")
    assert AuditEvent.objects.filter(action="certification.record.enter", object_id=str(record.pk)).exists()
    assert AuditEvent.objects.filter(action="import.done").count() == 1
    other = make_activity(org, manager, name="另一个活动", hours=2)
    for hours in ("2.5", "1e1000000", "NaN"):  # over the cap (R12), absurd exponent, not a number
        bad = run_import("service_records", csv([[entered_volunteer.id_number, other.pk, hours]], header), "r.csv", user=manager)
        assert not bad.ok and bad.errors[0]["row"] == 2
    assert ServiceRecord.objects.count() == 1


def _import_in_thread(org, manager, serials, reports):
    try:
        reports.append(run_import("volunteers", csv(volunteers(org, serials)), "v.csv", user=manager))
    finally:
        connection.close()


@pytest.fixture
def committed_org(transactional_db):
    """Reference data and an organization with a manager, committed (each thread sees them)."""
    call_command("setup_demo", "--no-demo", verbosity=0)  # a transactional test starts from an empty database
    org = OrganizationFactory(name="并发导入志愿者协会")
    return org, org_user(org)


@pytest.mark.postgres
def test_on_postgres_a_bad_row_beyond_the_first_chunk_rolls_back_everything(settings, committed_org):
    org, manager = committed_org
    settings.IMPORT_CHUNK_SIZE = 2
    good = id_number(155)
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")  # wrong check character (D6)
    rows = volunteers(org, range(150, 155)) + [["坏号码", bad, org.name, "是"]]
    report = run_import("volunteers", csv(rows), "v.csv", user=manager)
    assert not report.ok and report.errors[0]["row"] == 7
    assert not Volunteer.objects.exists() and not ReferenceSequence.objects.filter(prefix="ZY", last__gt=0).exists()


@pytest.mark.postgres
def test_on_postgres_two_imports_at_once_get_disjoint_contiguous_numbers(settings, committed_org):
    org, manager = committed_org
    settings.IMPORT_CHUNK_SIZE = 3
    reports = []
    threads = [threading.Thread(target=_import_in_thread, args=(org, manager, range(start, start + 7), reports))
               for start in (200, 300)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(reports) == 2 and all(r.ok for r in reports), [r.errors for r in reports]
    for start in (200, 300):
        mine = sorted(int(v.rsplit("-", 1)[1]) for v in Volunteer.objects.filter(
            id_number__in=[id_number(n) for n in range(start, start + 7)]).values_list("volunteer_number", flat=True))
        assert mine == list(range(mine[0], mine[0] + 7))  # each import's block has no gap
    assert _numbers() == list(range(1, 15))


@pytest.mark.django_db
def test_an_unknown_id_number_is_reported_masked(org, manager, activity):
    """D6: the job's error report (kept in the database) never repeats a full ID number."""
    unknown = id_number(999)
    header = ["身份证号", "活动编号", "服务时长（小时）"]
    report = run_import("service_records", csv([[unknown, activity.pk, "1"]], header), "r.csv", user=manager)
    assert not report.ok and unknown not in report.errors[0]["message"]
    assert f"{unknown[:4]}**********{unknown[-4:]}" in report.errors[0]["message"]


@pytest.mark.postgres
def test_on_postgres_a_volunteer_registers_while_a_big_import_is_still_reading(settings, committed_org):
    """The import numbers its rows at its end: while it reads the file the number counter is
    free, so registering in the portal does not wait for the whole import (issue #13)."""
    org, manager = committed_org
    settings.IMPORT_CHUNK_SIZE = 2
    reading, registered, outcome = threading.Event(), threading.Event(), {}

    def paused(done):
        if done == 2:  # the first chunk is written; the import's transaction is open
            reading.set()
            registered.wait(30)

    def importer():
        try:
            outcome["report"] = pipeline_run("volunteers", csv(volunteers(org, range(400, 406))), "v.csv",
                                             user=manager, progress=paused)
        finally:
            connection.close()

    thread = threading.Thread(target=importer)
    thread.start()
    assert reading.wait(30)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '5s'")  # waiting on the import's counter would fail
        user = UserFactory(username="self_registered")
        volunteer = volunteer_register(actor=user, user=user, real_name="自助注册", id_number=id_number(499),
                                       phone="13800000000")
    finally:
        registered.set()
        thread.join()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    assert outcome["report"].ok, outcome["report"].errors
    assert volunteer.volunteer_number.endswith("-000001")  # taken while the import was reading
    assert _numbers() == list(range(1, 8))  # the import's six follow it, gap-free
