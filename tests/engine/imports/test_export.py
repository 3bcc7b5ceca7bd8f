"""Exports: formula-like cells are neutralized in CSV and XLSX, and a re-import is lossless."""
import pytest

from engine.directory.models import Organization
from engine.imports.cells import neutralize, unneutralize
from engine.imports.services import export_data, run_import
from tests.factories import OrganizationFactory

from .helpers import xlsx_cells

pytestmark = pytest.mark.django_db

DANGEROUS = "=HYPERLINK(\"http://evil.example\",\"点我\")"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_trigger_is_prefixed_and_undone(value):
    assert neutralize(value) == "'" + value
    assert unneutralize(neutralize(value)) == value
    assert neutralize("正常名称") == "正常名称" and neutralize(3) == 3


def test_csv_export_neutralizes_formula_names():
    OrganizationFactory(name=DANGEROUS)
    data = export_data("organizations", Organization.objects.filter(name=DANGEROUS), "csv")
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the UTF-8
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("组织名称,统一社会信用代码")
    assert "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点我\"\")\"" in text
    assert "\n=" not in text and not text.startswith("=")


def test_xlsx_export_neutralizes_formula_names():
    OrganizationFactory(name=DANGEROUS)
    data = export_data("organizations", Organization.objects.filter(name=DANGEROUS), "xlsx")
    header, row = xlsx_cells(data)
    assert header[0] == "组织名称"
    assert row[0] == "'" + DANGEROUS  # a string cell, not a formula
    assert row[3] == "正常" and row[4] == "mca-jinshui"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exported_file_reimports_without_change(fmt):
    org = OrganizationFactory(name=DANGEROUS)
    data = export_data("organizations", Organization.objects.filter(pk=org.pk), fmt)
    report = run_import("organizations", data, f"export.{fmt}")
    assert report.ok and (report.created, report.updated, report.skipped) == (0, 0, 1)
    assert Organization.objects.get(pk=org.pk).name == DANGEROUS
