"""Imports of the guiding catalogue and budget lines (finance), all or nothing.

A file (XLSX or CSV, UTF-8 or GBK, read by the engine's import reader) has Chinese or English headers; every row is validated
before anything is written, and the whole import is one transaction with one audit event
per row written.
"""
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from engine.audit.services import audit_record
from engine.cases.errors import RuleViolation
from engine.directory.models import Department
from engine.imports.reading import ImportFileError, read_table

from ..models import BudgetLine, CatalogueItem
from .catalogue import _check, check_budget_authority
from .common import money

CATALOGUE_HEADERS = {"目录编码": "code", "服务名称": "name", "服务类别": "category", "服务标准": "service_standard",
                     "计量单位": "unit", "年度": "year", "已发布": "published"}
BUDGET_HEADERS = {"部门代码": "department", "年度": "year", "目录编码": "item", "预算金额": "amount"}
TRUE = {"1", "true", "yes", "是", "已发布", "y"}


def read_rows(content: bytes, fmt: str, headers: dict) -> list[dict]:
    """Rows as dicts keyed by field name; headers may be the Chinese labels or the field names.
    Reading (encoding detection, XLSX) is the engine's, as for every import."""
    if fmt not in ("csv", "xlsx"):
        raise RuleViolation(_("仅支持 XLSX 或 CSV 文件。"))
    try:
        dataset = read_table(content, f"import.{fmt}")
    except ImportFileError as exc:
        raise RuleViolation(str(exc)) from None
    names = {**headers, **{v: v for v in headers.values()}}
    columns = [names.get(str(h or "").strip()) for h in dataset.headers or []]
    missing = set(headers.values()) - set(columns) - {"published"}
    if missing:
        raise RuleViolation(_("缺少列：%(cols)s。") % {"cols": "、".join(sorted(missing))})
    return [
        {col: ("" if value is None else str(value).strip()) for col, value in zip(columns, row) if col}
        for row in dataset
    ]


def _row_error(n, exc) -> str:
    messages = getattr(exc, "messages", None) or [str(getattr(exc, "message", exc))]
    return _("第%(n)s行：%(msg)s") % {"n": n, "msg": "；".join(str(m) for m in messages)}


def _fail(errors):
    raise RuleViolation(_("导入未执行：%(n)s行有误。") % {"n": len(errors)}, fields={"rows": errors})


def _year(value):
    try:
        return int(Decimal(value))
    except ArithmeticError:
        raise RuleViolation(_("年度格式不正确。")) from None


def catalogue_import(*, actor, content: bytes, fmt: str) -> int:
    _check(actor)
    rows, errors, items = read_rows(content, fmt, CATALOGUE_HEADERS), [], []
    for n, row in enumerate(rows, 2):
        try:
            item = CatalogueItem(
                code=row["code"], name=row["name"], category=row["category"],
                service_standard=row["service_standard"], unit=row["unit"], year=_year(row["year"]),
                published=row.get("published", "").lower() in TRUE,
            )
            item.full_clean()
            if any((i.year, i.code) == (item.year, item.code) for i in items):
                raise RuleViolation(_("与前面的行重复（年度与目录编码）。"))
            items.append(item)
        except Exception as exc:  # noqa: BLE001 - every row's problem is reported, nothing written
            errors.append(_row_error(n, exc))
    if errors:
        _fail(errors)
    with transaction.atomic():
        for item in items:
            item.save()
            audit_record(actor=actor, action="procurement.catalogue.import", obj=item,
                         after={"code": item.code, "year": item.year, "published": item.published})
    return len(items)


def budget_import(*, actor, content: bytes, fmt: str) -> int:
    _check(actor)
    rows, errors, lines = read_rows(content, fmt, BUDGET_HEADERS), [], []
    for n, row in enumerate(rows, 2):
        try:
            year = _year(row["year"])
            department = Department.objects.filter(code=row["department"]).first()
            item = CatalogueItem.objects.filter(year=year, code=row["item"]).first()
            if department is None or item is None:
                raise RuleViolation(_("部门代码或目录编码不存在。"))
            check_budget_authority(actor, department)
            line = BudgetLine(department=department, year=year, item=item, amount=money(row["amount"]))
            line.full_clean()
            if any((x.department_id, x.year, x.item_id) == (line.department_id, year, item.pk) for x in lines):
                raise RuleViolation(_("与前面的行重复（部门、年度与目录编码）。"))
            lines.append(line)
        except Exception as exc:  # noqa: BLE001
            errors.append(_row_error(n, exc))
    if errors:
        _fail(errors)
    with transaction.atomic():
        for line in lines:
            line.save()
            audit_record(actor=actor, action="procurement.budget.import", obj=line,
                         after={"department": line.department_id, "year": line.year, "amount": line.amount})
    return len(lines)
