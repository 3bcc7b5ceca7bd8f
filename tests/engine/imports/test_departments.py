"""Importing departments: parents by code, choices by label, Chinese errors for bad cells."""
import pytest

from engine.directory.models import Department
from engine.imports.services import run_import

from .helpers import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = ["部门代码", "部门名称", "类别", "层级", "上级部门代码", "区县代码", "孵化容量"]


def test_departments_import_with_parents_defined_earlier_in_the_file():
    rows = [
        ["base-gaoxin", "高新区社会组织孵化基地", "社会组织孵化基地", "县（市、区）级", "mca", "gaoxin", "12"],
        ["base-gaoxin-2", "高新区第二孵化基地", "incubation_base", "district", "base-gaoxin", "gaoxin", "5"],
    ]
    report = run_import("departments", csv_bytes(rows, header=HEADER, encoding="gbk"), "部门.csv")
    assert report.ok, report.errors
    child = Department.objects.get(code="base-gaoxin-2")
    assert child.parent.code == "base-gaoxin" and child.capacity == 5
    assert child.kind == Department.Kind.INCUBATION_BASE and child.level == Department.Level.DISTRICT


def test_existing_department_is_updated_by_code_not_duplicated():
    count = Department.objects.count()
    rows = [["base-city", "郑州市社会组织孵化总基地", "incubation_base", "", "mca", "", "25"]]
    report = run_import("departments", csv_bytes(rows, header=HEADER), "部门.csv")
    assert report.ok and report.updated == 1
    base = Department.objects.get(code="base-city")
    assert (base.name, base.capacity, base.level) == ("郑州市社会组织孵化总基地", 25, "city")
    assert Department.objects.count() == count


def test_bad_cells_give_chinese_row_errors():
    rows = [
        ["x-1", "甲", "不存在的类别", "city", "", "", ""],
        ["x-2", "乙", "incubation_base", "city", "", "", "1.5"],
        ["x-3", "丙", "incubation_base", "city", "", "", ""],
        ["x-4", "丁", "mca", "city", "x-9", "", ""],
    ]
    report = run_import("departments", csv_bytes(rows, header=HEADER), "部门.csv")
    messages = {(e["row"], e["column"]): e["message"] for e in report.errors}
    assert "不是有效的选项" in messages[(2, "类别")] and "社会组织孵化基地" in messages[(2, "类别")]
    assert messages[(3, "孵化容量")] == "“1.5”不是整数。"
    assert messages[(4, "")] == "孵化基地必须填写孵化容量。"
    assert messages[(5, "上级部门代码")] == "找不到代码为“x-9”的部门。"
    assert not Department.objects.filter(code__startswith="x-").exists()


def test_a_parent_loop_is_refused():
    rows = [["mca", "郑州市民政局", "mca", "city", "mca-jinshui", "", ""]]
    report = run_import("departments", csv_bytes(rows, header=HEADER), "部门.csv")
    assert [(e["row"], e["column"]) for e in report.errors] == [(2, "上级部门代码")]
    assert Department.objects.get(code="mca").parent is None
