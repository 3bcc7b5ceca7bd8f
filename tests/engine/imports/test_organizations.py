"""Importing organizations: encodings, all-or-nothing, no duplicates, row-numbered errors."""
import pytest

from engine.audit.models import AuditEvent
from engine.directory.models import Organization
from engine.directory.resources import OrganizationResource
from engine.imports.reading import read_table
from engine.imports.services import preview_import, run_import
from tests.factories import OrganizationFactory, make_uscc

from .helpers import bad_uscc, csv_bytes, org_row, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_gbk_csv_imports_organizations():
    rows = [org_row(1, "金水区助老志愿服务队"), org_row(2, "二七区青年志愿者协会", **{
        "统一社会信用代码": "", "已登记": "否", "状态": "", "业务主管部门代码": "mca-erqi", "区县代码": "erqi",
    })]
    report = run_import("organizations", csv_bytes(rows, encoding="gbk"), "组织.csv")
    assert report.ok, report.errors
    assert (report.total_rows, report.created) == (2, 2)
    first = Organization.objects.get(name="金水区助老志愿服务队")
    assert first.uscc == make_uscc(9001) and first.registered
    assert first.supervising_department.code == "mca-jinshui" and first.district.code == "jinshui"
    second = Organization.objects.get(name="二七区青年志愿者协会")
    assert second.uscc is None and not second.registered
    assert second.status == Organization.Status.ACTIVE
    assert AuditEvent.objects.filter(action="import.done", after__created=2).exists()


def test_one_bad_row_writes_nothing_and_names_the_row():
    before = Organization.objects.count()
    rows = [org_row(3), org_row(4), org_row(5, **{"统一社会信用代码": bad_uscc(5)})]
    report = run_import("organizations", csv_bytes(rows, encoding="gbk"), "组织.csv")
    assert not report.ok
    assert Organization.objects.count() == before
    assert not AuditEvent.objects.filter(action="import.done").exists()
    [error] = report.errors
    assert error["row"] == 4  # header is row 1, so the third data row is row 4
    assert error["column"] == "统一社会信用代码"
    assert "校验位错误" in error["message"]
    assert report.error_lines() == [f"第4行【统一社会信用代码】{error['message']}"]
    assert "未写入任何数据" in report.summary()
    assert report.as_dict()["ok"] is False and report.as_dict()["errors"][0]["row"] == 4


def test_dry_run_reports_without_writing():
    data = csv_bytes([org_row(6), org_row(7, **{"业务主管部门代码": "nope", "已登记": "也许"})])
    report = preview_import("organizations", data, "组织.csv")
    assert report.dry_run and not Organization.objects.filter(name__startswith="导入测试组织").exists()
    assert sorted((e["row"], e["column"]) for e in report.errors) == [(3, "业务主管部门代码"), (3, "已登记")]
    assert any("找不到代码为“nope”的部门" in e["message"] for e in report.errors)
    good = preview_import("organizations", csv_bytes([org_row(6)]), "组织.csv")
    assert good.ok and good.created == 1 and "预检通过" in good.summary()
    assert not Organization.objects.filter(name="导入测试组织6").exists()


def test_the_same_file_twice_creates_no_duplicates():
    data = csv_bytes([org_row(8), org_row(9, **{"统一社会信用代码": "", "已登记": "否"})], encoding="gbk")
    first = run_import("organizations", data, "组织.csv")
    second = run_import("organizations", data, "组织.csv")
    assert first.ok and second.ok
    assert (first.created, second.created, second.updated, second.skipped) == (2, 0, 0, 2)
    assert Organization.objects.filter(name__in=["导入测试组织8", "导入测试组织9"]).count() == 2


def test_organization_found_by_uscc_first_then_by_name():
    renamed = OrganizationFactory(name="旧名称志愿服务队", uscc=make_uscc(9010))
    unregistered = OrganizationFactory(name="尚未登记的服务队", uscc=None, registered=False)
    rows = [org_row(10, "新名称志愿服务队"), org_row(11, "尚未登记的服务队")]
    report = run_import("organizations", csv_bytes(rows), "组织.csv")
    assert report.ok, report.errors
    assert report.updated == 2 and report.created == 0
    renamed.refresh_from_db()
    unregistered.refresh_from_db()
    assert renamed.name == "新名称志愿服务队"
    assert unregistered.uscc == make_uscc(9011) and unregistered.registered


def test_a_name_registered_under_another_uscc_is_refused():
    OrganizationFactory(name="已登记服务队", uscc=make_uscc(9012))
    report = run_import("organizations", csv_bytes([org_row(13, "已登记服务队")]), "组织.csv")
    [error] = report.errors
    assert error["row"] == 2 and error["column"] == "统一社会信用代码"
    assert make_uscc(9012) in error["message"]


def test_english_field_names_are_accepted_as_headers():
    header = ["name", "uscc", "registered", "status", "supervising_department", "district", "fiscal_funded"]
    row = ["English Header Org", make_uscc(9014), "true", "active", "mca", "", "yes"]
    data = csv_bytes([row], header=header)
    report = run_import("organizations", data, "orgs.csv")
    assert report.ok, report.errors
    org = Organization.objects.get(name="English Header Org")
    assert org.fiscal_funded and org.district is None and org.supervising_department.code == "mca"


def test_missing_key_column_and_repeated_columns_are_file_errors():
    no_name = run_import("organizations", csv_bytes([["x"]], header=["统一社会信用代码"]), "a.csv")
    assert no_name.errors == [{"row": None, "column": "", "message": "缺少必需的列：组织名称。"}]
    twice = run_import("organizations", csv_bytes([["a", "b"]], header=["组织名称", "name"]), "a.csv")
    assert "出现了不止一次" in twice.errors[0]["message"]


def test_an_import_cannot_change_an_existing_organizations_status():
    OrganizationFactory(name="状态测试服务队", uscc=make_uscc(9015))
    report = run_import("organizations", csv_bytes([org_row(15, "状态测试服务队", **{"状态": "已注销"})]), "a.csv")
    assert [e["column"] for e in report.errors] == ["状态"]
    assert Organization.objects.get(name="状态测试服务队").status == Organization.Status.ACTIVE


def test_xlsx_import():
    rows = [org_row(16), org_row(17, **{"已登记": "否", "统一社会信用代码": None})]
    report = run_import("organizations", xlsx_bytes(rows), "组织.xlsx")
    assert report.ok, report.errors
    assert report.created == 2
    assert Organization.objects.get(name="导入测试组织16").uscc == make_uscc(9016)
    bad = xlsx_bytes([org_row(18), [None] * 7, org_row(19, **{"统一社会信用代码": bad_uscc(19)})])
    report = run_import("organizations", bad, "组织.xlsx")
    assert [e["row"] for e in report.errors] == [4]
    assert not Organization.objects.filter(name="导入测试组织18").exists()


def test_progress_is_called_after_every_chunk(settings):
    settings.IMPORT_CHUNK_SIZE = 2
    seen = []
    rows = [org_row(20), org_row(21), org_row(24)]
    report = run_import("organizations", csv_bytes(rows), "a.csv", progress=seen.append)
    assert report.ok and seen == [2, 3]


def test_the_resource_itself_is_all_or_nothing_for_any_caller():
    dataset = read_table(csv_bytes([org_row(22), org_row(23, **{"统一社会信用代码": bad_uscc(23)})]))
    result = OrganizationResource().import_data(dataset)  # as the admin's confirm step calls it
    assert result.has_validation_errors()
    assert not Organization.objects.filter(name="导入测试组织22").exists()
