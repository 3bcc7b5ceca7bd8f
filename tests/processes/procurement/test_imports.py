"""Catalogue and budget-line imports (all or nothing) and the results export."""
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from engine.audit.models import AuditEvent
from engine.cases.errors import NotAllowed, RuleViolation
from engine.directory.models import Department
from processes.procurement import services
from processes.procurement.models import BudgetLine, CatalogueItem
from processes.procurement.resources import results_xlsx
from processes.procurement.selectors import budget_lines_visible_to, tenders_visible_to

pytestmark = pytest.mark.django_db

CATALOGUE_CSV = "目录编码,服务名称,服务类别,服务标准,计量单位,年度,已发布\nB01,助老服务,养老,每周两次上门,次,2026,是\nB02,助残服务,助残,每月四次,次,2026,否\n"


def test_catalogue_csv_import_in_gbk(people):
    n = services.catalogue_import(actor=people["fin"], content=CATALOGUE_CSV.encode("gbk"), fmt="csv")
    assert n == 2
    assert list(CatalogueItem.objects.order_by("code").values_list("code", "published")) == [("B01", True), ("B02", False)]
    # each row through the finance service (its own event), plus one summary of the import
    assert AuditEvent.objects.filter(action="procurement.catalogue.create").count() == 2
    summary = AuditEvent.objects.get(action="import.done")
    assert summary.after["rows"] == 2 and summary.after["resource"] == "procurement_catalogue"


def test_import_is_finance_only_and_all_or_nothing(people):
    with pytest.raises(NotAllowed):
        services.catalogue_import(actor=people["staff"], content=CATALOGUE_CSV.encode(), fmt="csv")
    bad = CATALOGUE_CSV + "B03,,类别,标准,次,2026,是\n"
    with pytest.raises(RuleViolation) as exc:
        services.catalogue_import(actor=people["fin"], content=bad.encode(), fmt="csv")
    assert "第4行" in str(exc.value.fields["rows"])
    assert not CatalogueItem.objects.exists()


def test_budget_lines_import_from_xlsx_via_api(people, budget):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["部门代码", "年度", "目录编码", "预算金额"])
    ws.append(["mca-jinshui", 2026, "A01", "200000.00"])
    ws.append(["fin-jinshui", 2026, "A01", "5000"])
    buf = io.BytesIO()
    wb.save(buf)
    c = APIClient()
    c.force_authenticate(people["fin"])
    r = c.post("/api/v1/procurement/budget-lines/import/",
               {"file": SimpleUploadedFile("lines.xlsx", buf.getvalue())}, format="multipart")
    assert r.status_code == 201 and r.json() == {"imported": 2}
    assert BudgetLine.objects.count() == 3
    ws.append(["nowhere", 2026, "A01", "1"])
    buf = io.BytesIO()
    wb.save(buf)
    r = c.post("/api/v1/procurement/budget-lines/import/",
               {"file": SimpleUploadedFile("lines.xlsx", buf.getvalue())}, format="multipart")
    assert r.status_code == 400 and BudgetLine.objects.count() == 3  # duplicates and the bad row: nothing written


def test_results_export_shows_the_award_only_once_published(drive, people):
    drive.award_review()
    wb = openpyxl.load_workbook(io.BytesIO(results_xlsx(tenders_visible_to(people["fin"]))))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and rows[1][0] == drive.tender.reference
    assert not rows[1][8] and not rows[1][9]  # proposed, not yet approved (P6)
    drive.tender = None
    drive.standstill()
    rows = list(openpyxl.load_workbook(io.BytesIO(results_xlsx(tenders_visible_to(people["fin"])))).active.iter_rows(values_only=True))
    latest = next(r for r in rows if r[0] == drive.tender.reference)
    assert latest[8] == people["orgs"][1].name and latest[9] == "80000.00"


def test_export_neutralises_formula_cells(drive, people):
    tender = drive.create()
    type(tender).objects.filter(pk=tender.pk).update(name="=HYPERLINK(\"http://x\")")
    rows = list(openpyxl.load_workbook(io.BytesIO(results_xlsx(tenders_visible_to(people["staff"])))).active.iter_rows(values_only=True))
    assert rows[1][1].startswith("'=")


def test_rows_repeating_one_another_are_reported_not_a_database_error(people, budget):
    twice = CATALOGUE_CSV + "B01,助老服务,养老,每周两次上门,次,2026,是\n"
    with pytest.raises(RuleViolation) as exc:
        services.catalogue_import(actor=people["fin"], content=twice.encode(), fmt="csv")
    # the service's own refusal (the database's uniqueness), not a copy of it in the import
    assert "第4行" in str(exc.value.fields["rows"]) and "已有相同编码的目录项" in str(exc.value.fields["rows"])
    assert not CatalogueItem.objects.exclude(code="A01").exists()
    lines = "部门代码,年度,目录编码,预算金额\nfin,2026,A01,100.00\nfin,2026,A01,200.00\nedu,2026,A01,1e20\n"
    with pytest.raises(RuleViolation) as exc:
        services.budget_import(actor=people["fin"], content=lines.encode(), fmt="csv")
    assert [e[:3] for e in exc.value.fields["rows"]] == ["第3行", "第4行"]
    assert BudgetLine.objects.count() == 1  # the fixture's line only


def test_a_district_finance_keeps_only_its_own_districts_budget_lines(people, budget):
    """D1: 金水区财政局 may not create or import a budget line of the city 民政局 (nor another
    district's); the city 财政局 and the district's own 财政局 may."""
    item, _line = budget
    city_mca, jinshui_mca = Department.objects.get(code="mca"), Department.objects.get(code="mca-jinshui")
    erqi = Department.objects.filter(kind="mca", district__isnull=False).exclude(pk=jinshui_mca.pk).first()
    with pytest.raises(NotAllowed):
        services.budget_line_create(actor=people["fin_jinshui"], department=city_mca, year=2026, item=item, amount="1.00")
    with pytest.raises(NotAllowed):
        services.budget_line_create(actor=people["fin_jinshui"], department=erqi, year=2026, item=item, amount="1.00")
    line = services.budget_line_create(actor=people["fin_jinshui"], department=jinshui_mca, year=2026, item=item, amount="1000.00")
    assert line.amount == Decimal("1000.00")
    services.budget_line_create(actor=people["fin"], department=erqi, year=2026, item=item, amount="2000.00")
    rows = f"部门代码,年度,目录编码,预算金额\n{erqi.code},2026,A01,1.00\n"
    BudgetLine.objects.filter(department=erqi).delete()
    with pytest.raises(RuleViolation) as exc:
        services.budget_import(actor=people["fin_jinshui"], content=rows.encode(), fmt="csv")
    assert "第2行" in exc.value.fields["rows"][0] and "财政局" in exc.value.fields["rows"][0]
    assert not BudgetLine.objects.filter(department=erqi).exists()


def test_budget_lines_are_listed_by_scope(people, budget):
    _item, city_line = budget
    jinshui = services.budget_line_create(actor=people["fin_jinshui"], department=Department.objects.get(code="mca-jinshui"),
                                          year=2026, item=_item, amount="1000.00")
    assert set(budget_lines_visible_to(people["fin"])) == {city_line, jinshui}
    assert set(budget_lines_visible_to(people["fin_jinshui"])) == {jinshui}
    assert set(budget_lines_visible_to(people["staff"])) == {city_line}
    assert not budget_lines_visible_to(people["org_users"][0]).exists()


def test_budget_lines_take_the_engine_import_path_with_per_row_authority(people, budget):
    """Issue #12: the engine's import API (dry run, jobs, row-numbered errors) serves procurement
    too, and each row goes through budget_line_create, which checks the importer's authority."""
    erqi = Department.objects.filter(kind="mca", district__isnull=False).exclude(code="mca-jinshui").first()
    rows = f"部门代码,年度,目录编码,预算金额\nmca-jinshui,2026,A01,100.00\n{erqi.code},2026,A01,1.00\n"
    client = APIClient()
    client.force_authenticate(people["fin_jinshui"])
    url = "/api/v1/imports/procurement_budget_lines/"
    preview = client.post(url, {"file": SimpleUploadedFile("lines.csv", rows.encode("gbk")), "dry_run": "true"},
                          format="multipart")
    assert preview.status_code == 200
    body = preview.json()
    assert body["ok"] is False and [e["row"] for e in body["errors"]] == [3] and "财政局" in body["errors"][0]["message"]
    assert not BudgetLine.objects.filter(department__code__in=["mca-jinshui", erqi.code]).exists()
    staff = APIClient()
    staff.force_authenticate(people["staff"])  # not finance: may not import budget lines at all
    refused = staff.post(url, {"file": SimpleUploadedFile("lines.csv", rows.encode())}, format="multipart")
    assert refused.status_code == 403 and BudgetLine.objects.count() == 1
    ok_rows = "部门代码,年度,目录编码,预算金额\nmca-jinshui,2026,A01,100.00\n"
    job = client.post(url, {"file": SimpleUploadedFile("lines.csv", ok_rows.encode())}, format="multipart")
    assert job.status_code == 202 and job.json()["status"] == "done" and job.json()["created_count"] == 1
    assert BudgetLine.objects.get(department__code="mca-jinshui").amount == Decimal("100.00")


def test_a_catalogue_file_over_the_upload_limit_is_refused_with_413(people, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    client = APIClient()
    client.force_authenticate(people["fin"])
    response = client.post("/api/v1/procurement/catalogue/import/",
                           {"file": SimpleUploadedFile("c.csv", CATALOGUE_CSV.encode())}, format="multipart")
    assert response.status_code == 413 and response.json()["code"] == "import_file_too_large"
    assert not CatalogueItem.objects.filter(code__in=["B01", "B02"]).exists()
