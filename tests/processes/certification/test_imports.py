"""Imports of volunteers and service records through the engine's import service."""
from decimal import Decimal

import pytest

from engine.cases.errors import NotAllowed
from processes.certification.models import ServiceRecord, Volunteer
from processes.certification.services.registry import record_approve
from tests.factories import OrganizationFactory, org_user

from .conftest import id_number

services = pytest.importorskip("engine.imports.services")

pytestmark = pytest.mark.django_db


def csv(rows):
    return ("\n".join(",".join(str(c) for c in row) for row in rows) + "\n").encode("utf-8")


def test_volunteers_import_with_consent_and_validated_ids(org, manager):
    data = csv([["姓名", "身份证号", "手机号", "录入组织", "本人同意录入"],
                ["张三", id_number(31), "13800000001", org.name, "是"],
                ["李四", id_number(32), "", org.name, "是"]])
    report = services.run_import("volunteers", data, "v.csv", user=manager)
    assert report.ok, report.errors
    v = Volunteer.objects.get(real_name="张三")
    assert v.volunteer_number.startswith("ZY-") and v.registered_by == org and v.consent_at


def test_volunteer_import_refuses_missing_consent_and_bad_id_and_writes_nothing(org, manager):
    bad_id = id_number(33)[:-1] + ("1" if id_number(33)[-1] != "1" else "2")
    data = csv([["姓名", "身份证号", "录入组织", "本人同意录入"],
                ["张三", id_number(34), org.name, "否"],
                ["王五", bad_id, org.name, "是"],
                ["赵六", id_number(35), org.name, "是"]])
    report = services.run_import("volunteers", data, "v.csv", user=manager)
    assert not report.ok
    messages = " ".join(e["message"] for e in report.errors)
    assert "本人同意" in messages and "校验位" in messages
    assert not Volunteer.objects.exists()


def test_volunteer_import_for_another_organization_is_refused(manager):
    other = OrganizationFactory()
    data = csv([["姓名", "身份证号", "录入组织", "本人同意录入"], ["张三", id_number(36), other.name, "是"]])
    assert not services.run_import("volunteers", data, "v.csv", user=manager).ok


def test_service_records_import_enforces_cap_and_organizer(entered_volunteer, activity, manager, org):
    data = csv([["身份证号", "活动编号", "服务时长（小时）", "来源"],
                [entered_volunteer.id_number, activity.pk, "4.5", "手工补录"]])
    report = services.run_import("service_records", data, "r.csv", user=manager)
    assert report.ok, report.errors
    record = ServiceRecord.objects.get()
    assert record.hours == Decimal("4.50") and record.status == "pending" and record.entered_by == manager
    assert record.source == "backfill"
    again = services.run_import("service_records", data, "r.csv", user=manager)
    assert not again.ok  # a second record for the same activity
    over = csv([["身份证号", "活动编号", "服务时长（小时）", "来源"], [entered_volunteer.id_number, activity.pk, "9", "手工补录"]])
    ServiceRecord.objects.all().delete()
    assert not services.run_import("service_records", over, "r.csv", user=manager).ok  # R12
    outsider = org_user(OrganizationFactory())
    assert not services.run_import("service_records", data, "r.csv", user=outsider).ok  # R1
    assert not ServiceRecord.objects.exists()


def test_exports_mask_id_numbers(volunteer, approved_record):
    data = services.export_data("volunteers", fmt="csv").decode("utf-8-sig")
    assert volunteer.masked_id in data and volunteer.id_number not in data and "138****5678" in data
    data = services.export_data("service_records", fmt="csv").decode("utf-8-sig")
    assert volunteer.masked_id in data and volunteer.id_number not in data


def test_another_organization_cannot_rewrite_or_take_over_an_entered_volunteer(org, manager):
    first = csv([["姓名", "身份证号", "手机号", "录入组织", "本人同意录入"],
                 ["张三", id_number(41), "13800000001", org.name, "是"]])
    assert services.run_import("volunteers", first, "v.csv", user=manager).ok
    other = OrganizationFactory()
    takeover = csv([["姓名", "身份证号", "手机号", "录入组织", "本人同意录入"],
                    ["张叁", id_number(41), "13900000009", other.name, "是"]])
    # the other organization makes an entry of its own (its own consent, R4); it neither
    # rewrites the first entry nor learns that one exists
    report = services.run_import("volunteers", takeover, "v.csv", user=org_user(other))
    assert report.ok and report.created == 1
    v = Volunteer.objects.get(id_number=id_number(41), registered_by=org)
    assert (v.real_name, v.phone) == ("张三", "13800000001")
    update = csv([["姓名", "身份证号", "手机号", "录入组织"], ["张三", id_number(41), "13800000002", org.name]])
    assert services.run_import("volunteers", update, "v.csv", user=manager).ok  # its own organization may
    assert Volunteer.objects.get(id_number=id_number(41), registered_by=org).phone == "13800000002"
    assert Volunteer.objects.get(id_number=id_number(41), registered_by=other).phone == "13900000009"


def test_imported_hours_are_back_fills_never_sign_in_records_R12(entered_volunteer, activity, manager, manager2):
    signin = csv([["身份证号", "活动编号", "服务时长（小时）", "来源"], [entered_volunteer.id_number, activity.pk, "4", "签到签退"]])
    report = services.run_import("service_records", signin, "r.csv", user=manager)
    assert not report.ok and "签到签退记录由系统" in " ".join(e["message"] for e in report.errors)
    assert not ServiceRecord.objects.exists()
    plain = csv([["身份证号", "活动编号", "服务时长（小时）"], [entered_volunteer.id_number, activity.pk, "4"]])
    assert services.run_import("service_records", plain, "r.csv", user=manager).ok
    record = ServiceRecord.objects.get()
    assert (record.source, record.status) == ("backfill", "pending")
    with pytest.raises(NotAllowed):
        record_approve(actor=manager, record_id=record.pk)  # not by the importer
    assert record_approve(actor=manager2, record_id=record.pk).status == "approved"


def test_volunteer_import_takes_the_district_code(org, manager):
    data = csv([["姓名", "身份证号", "录入组织", "本人同意录入", "常住区县代码"],
                ["张三", id_number(51), org.name, "是", "jinshui"],
                ["李四", id_number(52), org.name, "是", ""]])
    report = services.run_import("volunteers", data, "v.csv", user=manager)
    assert report.ok, report.errors
    assert Volunteer.objects.get(real_name="张三").district.code == "jinshui"
    assert Volunteer.objects.get(real_name="李四").district is None
    bad = csv([["姓名", "身份证号", "录入组织", "本人同意录入", "常住区县代码"], ["王五", id_number(53), org.name, "是", "nowhere"]])
    assert not services.run_import("volunteers", bad, "v.csv", user=manager).ok
    assert not Volunteer.objects.filter(real_name="王五").exists()


def test_an_import_cannot_reach_a_volunteer_the_organization_never_dealt_with(volunteer, activity, manager):
    """Issue #16: a file of ID numbers is no way to learn who is registered, nor to leave a
    pending record on someone who never came: a registered stranger reads like nobody."""
    header = ["身份证号", "活动编号", "服务时长（小时）"]
    stranger = services.run_import("service_records", csv([header, [volunteer.id_number, activity.pk, "2"]]),
                                   "r.csv", user=manager)
    nobody = services.run_import("service_records", csv([header, [id_number(555), activity.pk, "2"]]),
                                 "r.csv", user=manager)
    assert not stranger.ok and not nobody.ok
    shape = [(e["row"], e["column"], e["message"][:8]) for e in stranger.errors]
    assert shape == [(e["row"], e["column"], e["message"][:8]) for e in nobody.errors]
    assert not ServiceRecord.objects.exists()
