"""Bounded work for any upload (issue #16): each evil file is built here, refused with a 4xx and
a Chinese message in the API's error format, and nothing is written."""
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from engine.directory.models import Organization
from engine.imports.models import ImportJob
from engine.imports.services import run_import
from tests.factories import UserFactory

from .helpers import ORG_HEADER, csv_bytes, org_row, xlsx_bytes

pytestmark = pytest.mark.django_db


def _post(data, name, dry_run=True):
    client = APIClient()
    client.force_authenticate(UserFactory(is_staff=True))
    return client.post("/api/v1/imports/organizations/",
                       {"file": SimpleUploadedFile(name, data), "dry_run": "true" if dry_run else "false"},
                       format="multipart")


def _refused(data, name, text, *, status=400, code="import_file_invalid", doors=(True, False)):
    """Both doors refuse: the dry run and the submit, with a 4xx, Chinese text, nothing written."""
    for dry_run in doors:
        response = _post(data, name, dry_run=dry_run)
        body = response.json()
        assert response.status_code == status, body
        assert body["code"] == code
        message = " ".join(body.get("fields", {}).get("file", [])) or body["detail"]
        assert text in message and re.search(r"[\u4e00-\u9fff]", message), message
    assert not Organization.objects.exists() and not ImportJob.objects.exists()


def _rewrite(xlsx: bytes, replace: dict | None = None, add: dict | None = None) -> bytes:
    """A copy of an XLSX with members replaced or added (written as they are given)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if replace and item.filename in replace:
                data = replace[item.filename](data)
            dst.writestr(item.filename, data)
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def test_zip_bomb_is_refused_from_the_zip_directory_before_opening():
    bomb = _rewrite(xlsx_bytes([org_row(1)]), add={"xl/media/padding.bin": b"\0" * (8 * 1024 * 1024)})
    assert len(bomb) < 100_000  # eight megabytes of zeros squeeze to a few kilobytes
    _refused(bomb, "bomb.xlsx", "压缩")


def test_declared_uncompressed_size_over_the_limit_is_refused(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 50_000
    big = _rewrite(xlsx_bytes([org_row(1)]), add={"xl/media/photo.bin": bytes(range(256)) * 400})
    _refused(big, "big.xlsx", "解压后过大")


def test_a_huge_declared_dimension_is_not_trusted():
    """A1:XFD1048576 would make a read-only sheet pad every row to 16,384 cells and yield a
    million empty rows; the reader stops at its own column and row limits."""
    data = _rewrite(xlsx_bytes([org_row(1), org_row(2)]), replace={SHEET: lambda xml: re.sub(
        rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', xml)})
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    report = run_import("organizations", data, "dim.xlsx")
    assert report.ok and report.total_rows == 2, report.errors
    assert Organization.objects.count() == 2


def test_a_row_far_below_the_limit_is_refused_without_walking_to_it(settings):
    settings.IMPORT_MAX_ROWS = 50
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    data = _rewrite(xlsx_bytes([org_row(1)]), replace={SHEET: lambda xml: xml.replace(b"</sheetData>", far, 1)})
    _refused(data, "far.xlsx", "50行")


def test_external_links_are_refused():
    link = b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    data = _rewrite(xlsx_bytes([org_row(1)]), add={"xl/externalLinks/externalLink1.xml": link})
    _refused(data, "links.xlsx", "外部链接")


def test_malformed_sheet_xml_is_refused():
    data = _rewrite(xlsx_bytes([org_row(1)]), replace={SHEET: lambda xml: xml[: len(xml) // 2]})
    _refused(data, "broken.xlsx", "XLSX")


def test_too_many_columns_rows_and_too_long_cells(settings):
    settings.IMPORT_MAX_COLUMNS = 8
    wide = csv_bytes([org_row(1) + ["x"] * 3], header=ORG_HEADER + ["备注1", "备注2", "备注3"])
    _refused(wide, "wide.csv", "8列")
    settings.IMPORT_MAX_ROWS = 3
    _refused(csv_bytes([org_row(n) for n in range(1, 5)]), "long.csv", "3行")
    settings.IMPORT_MAX_CELL_CHARS = 20
    _refused(csv_bytes([org_row(1, name="很" * 21)]), "cell.csv", "20个字符")


def test_nul_in_a_cell_is_refused():
    _refused(csv_bytes([org_row(1, name="坏\x00名字")]), "nul.csv", "NUL")


def test_empty_file_and_header_without_key_column_are_refused():
    _refused(b"", "empty.csv", "空", code="invalid")  # the upload form itself refuses an empty file
    _refused(b"\n\n  \n", "blank.csv", "空")
    _refused("已登记,状态\n是,正常\n".encode(), "nokey.csv", "缺少必需的列")


def test_mixed_encodings_are_refused_even_past_the_sniffed_start(django_capture_on_commit_callbacks):
    """The start of the file reads as UTF-8; a GBK row further down must not be guessed. The
    dry run refuses it; a submitted big file is checked in the background and its job fails."""
    head = csv_bytes([org_row(n) for n in range(1, 900)])
    assert len(head) > 64 * 1024
    tail = ",".join(org_row(900, name="郑州志愿服务队")).encode("gbk") + b"\r\n"
    _refused(head + tail, "mixed.csv", "编码", doors=(True,))
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(head + tail, "mixed.csv", dry_run=False)
    assert response.status_code == 202
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and "编码" in job.error_report[0]["message"]
    assert not Organization.objects.exists() and not job.file


def test_undetectable_encoding_is_refused():
    _refused(bytes(range(0x80, 0x100)) * 40, "binary.csv", "编码")


def test_upload_over_the_size_limit_is_refused_with_413_and_not_stored(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    data = csv_bytes([org_row(n) for n in range(1, 40)])
    assert len(data) > 1024
    _refused(data, "big.csv", "上限", status=413, code="import_file_too_large")


def test_an_entity_expansion_bomb_in_the_sheet_is_refused():
    """"Billion laughs": nine levels of ten-fold entities would expand to gigabytes."""
    entities = '<!ENTITY a0 "' + "d" * 80 + '">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))

    def evil(xml):
        xml = re.sub(rb"^<\?xml[^>]*\?>", b"", xml)
        return f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'.encode() + xml.replace(
            b"<sheetData>", b'<sheetData><row r="9"><c r="A9" t="inlineStr"><is><t>&a9;</t></is></c></row>', 1)
    _refused(_rewrite(xlsx_bytes([org_row(1)]), replace={SHEET: evil}), "laughs.xlsx", "XLSX")


def test_a_cell_past_the_csv_field_limit_and_an_unclosed_quote_are_refused_in_chinese():
    huge = csv_bytes([org_row(1, name="长" * 200_000)])
    _refused(huge, "huge.csv", "字符", doors=(True,))
    unclosed = csv_bytes([org_row(1)]) + b'"' + b"x" * 150_000 + b"\r\n"
    _refused(unclosed, "quote.csv", "字符", doors=(True,))
