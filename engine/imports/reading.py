"""Turn uploaded bytes (CSV in UTF-8, UTF-8 with BOM, GBK/GB18030, or XLSX) into a tablib
Dataset whose ``source_rows`` gives, for each data row, its row number as the user sees it in
the file (header = row 1), so errors point at the row a person can find."""
import codecs
import csv
import io
import zipfile

import tablib
from charset_normalizer import from_bytes
from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the legacy .xls container


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is for the user."""


def decode_text(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 (BOM or not) first, then GB18030 (a superset of GBK), then
    charset-normalizer's best guess, so files saved by Chinese Excel/WPS open either way."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export; gb18030 would decode it into garbage without failing.
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None:
        raise ImportFileError(_("无法识别文件编码，请将文件另存为 UTF-8 或 GBK 编码的 CSV。"))
    return str(best)


def _clean(value):
    """Strip text and turn whole floats into ints, as spreadsheets store 30 as 30.0."""
    if isinstance(value, str):
        value = value.strip()
        return value if value else None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _build(rows) -> tablib.Dataset:
    """``rows`` yields (file row number, values); the first is the header, blank rows drop out."""
    rows = iter(rows)
    try:
        _number, header = next(rows)
    except StopIteration:
        raise ImportFileError(_("文件是空的。")) from None
    headers = [str(_clean(h) or "") for h in header]
    while headers and not headers[-1]:  # trailing empty columns that spreadsheets leave
        headers.pop()
    if not any(headers):
        raise ImportFileError(_("第1行应为表头（列名），但它是空的。"))
    width = len(headers)
    dataset = tablib.Dataset(headers=headers)
    dataset.source_rows = []
    for number, values in rows:
        values = [_clean(v) for v in values]
        if all(v is None for v in values):
            continue
        if any(v is not None for v in values[width:]):
            raise ImportFileError(
                _("第%(row)d行的列数多于表头，请检查是否有未加表头的列。") % {"row": number}
            )
        values = (values + [None] * width)[:width]
        dataset.append(values)
        dataset.source_rows.append(number)
    return dataset


def read_csv(data: bytes) -> tablib.Dataset:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    # Some tools write tab-separated "CSV"; a header with tabs and no commas is one of those.
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        return _build(enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1))
    except csv.Error as exc:
        raise ImportFileError(_("CSV 格式有误：%(error)s") % {"error": exc}) from None


def read_xlsx(data: bytes) -> tablib.Dataset:
    import openpyxl  # heavy; only when an XLSX actually arrives

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError(_("不是有效的 XLSX 文件，或文件已损坏。")) from None
    try:
        return _build(enumerate(book.active.iter_rows(values_only=True), 1))
    finally:
        book.close()


def read_table(data: bytes, filename: str = "") -> tablib.Dataset:
    """Read CSV or XLSX bytes, chosen by content (a renamed file still opens right)."""
    if data.startswith(XLSX_MAGIC):
        return read_xlsx(data)
    if data.startswith(OLE_MAGIC) or filename.lower().endswith(".xls"):
        raise ImportFileError(_("不支持旧版 .xls 文件，请另存为 .xlsx 或 CSV 后再导入。"))
    return read_csv(data)
