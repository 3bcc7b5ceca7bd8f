"""Read an uploaded table (CSV in UTF-8, UTF-8 with BOM, GBK/GB18030 or UTF-16, or XLSX) row by
row, never the whole file at once, with every row numbered as the user sees it in the file
(header = row 1), so errors point at a row a person can find.

Reading is bounded whatever the file says about itself (issue #16): rows, columns and cell
length stop at the settings in ``conf``; an XLSX is checked as a zip before it is opened (declared
sizes and compression ratio, external links) and its ``<dimension>`` is never trusted."""
import codecs
import csv
import io
import os
import zipfile
from contextlib import contextmanager
from itertools import islice
from xml.etree.ElementTree import ParseError

import openpyxl
import tablib
from charset_normalizer import from_bytes
from django.utils.translation import gettext as _

from . import conf

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the legacy .xls container
SNIFF_BYTES = 64 * 1024
# What openpyxl raises on a damaged workbook, while opening or while streaming rows.
BROKEN_XLSX = (zipfile.BadZipFile, ParseError, KeyError, IndexError, TypeError, ValueError, OverflowError,
               OSError, EOFError)


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is for the user."""


def decode_text(data: bytes) -> str:
    """Decode CSV bytes whole (small inputs and tests); imports stream with :func:`sniff_encoding`."""
    encoding = sniff_encoding(data)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise ImportFileError(_("The file contains characters that cannot be read; please save it as a CSV in UTF-8 or GBK encoding.")) from None


def sniff_encoding(head: bytes) -> str:
    """The encoding of a CSV from its first bytes: UTF-16 by BOM, UTF-8 (BOM or not), GB18030
    (a superset of GBK), else charset-normalizer's guess. ``head`` may end inside a character."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "Unicode text"; gb18030 would decode it into garbage without failing
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            return encoding
        except UnicodeDecodeError:
            continue
    best = from_bytes(head).best()
    if best is None:
        raise ImportFileError(_("The file's encoding is not recognized; please save it as a CSV in UTF-8 or GBK encoding."))
    return best.encoding


def _clean(value):
    """Strip text and turn whole floats into ints, as spreadsheets store 30 as 30.0."""
    if isinstance(value, str):
        value = value.strip()
        return value if value else None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _check_cells(values, number, max_chars):
    for column, value in enumerate(values, 1):
        if isinstance(value, str) and ("\x00" in value or len(value) > max_chars):
            if "\x00" in value:
                raise ImportFileError(_("Row %(row)d, column %(col)d contains a null character (NUL); the file may be damaged.")
                                      % {"row": number, "col": column})
            raise ImportFileError(_("Row %(row)d, column %(col)d is longer than %(n)d characters.")
                                  % {"row": number, "col": column, "n": max_chars})


class Table:
    """A file's header and its data rows, read lazily: iterate for ``(row number, values)``,
    blank rows skipped, each row as wide as the header."""

    def __init__(self, numbered_rows):
        self._rows = numbered_rows  # a generator
        # read once: settings lookups per cell cost more than the checks themselves
        self._max_rows, self._max_columns, self._max_chars = conf.max_rows(), conf.max_columns(), conf.max_cell_chars()
        try:
            number, header = next(self._rows)
        except StopIteration:
            raise ImportFileError(_("The file is empty.")) from None
        header = list(header)
        _check_cells(header, number, self._max_chars)
        headers = [str(_clean(h) or "") for h in header]
        while headers and not headers[-1]:  # trailing empty columns that spreadsheets leave
            headers.pop()
        if not any(headers):
            raise ImportFileError(_("Row 1 should be the header (column names), but it is empty."))
        if len(headers) > self._max_columns:
            raise ImportFileError(_("The file has more than the limit of %(n)d columns.") % {"n": self._max_columns})
        self.headers = headers

    def close(self):
        """Stop reading (the row generator lets go of the file before the file is closed)."""
        close = getattr(self._rows, "close", None)
        if close is not None:
            close()

    def __iter__(self):
        width, last_row, max_chars = len(self.headers), self._max_rows + 1, self._max_chars
        for number, values in self._rows:
            if number > last_row:
                raise ImportFileError(_("The file has more than the limit of %(n)d data rows; please split it and import the parts separately.") % {"n": self._max_rows})
            _check_cells(values, number, max_chars)
            values = [_clean(v) for v in values]
            if all(v is None for v in values):
                continue
            if any(v is not None for v in values[width:]):
                raise ImportFileError(
                    _("Row %(row)d has more columns than the header; please check for columns without a header.") % {"row": number}
                )
            yield number, (values + [None] * width)[:width]


def _csv_rows(handle):
    head = handle.read(SNIFF_BYTES)
    if not head.strip():
        raise ImportFileError(_("The file is empty."))
    encoding = sniff_encoding(head)
    handle.seek(0)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="", errors="strict")
    first_line = head.decode(encoding, errors="ignore").split("\n", 1)[0]
    # Some tools write tab-separated "CSV"; a header with tabs and no commas is one of those.
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(text, delimiter=delimiter)
    try:
        yield from enumerate(reader, 1)
    except UnicodeDecodeError:
        raise ImportFileError(_("The file contains characters that cannot be read (mixed encodings); please save it as a CSV in UTF-8 or GBK encoding.")) from None
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise ImportFileError(_("A cell in row %(row)d is longer than %(n)d characters.")
                                  % {"row": reader.line_num, "n": conf.max_cell_chars()}) from None
        raise ImportFileError(_("The CSV is malformed (for example unmatched quotes); please check around row %(row)d.")
                              % {"row": reader.line_num}) from None
    finally:
        text.detach()  # the caller owns the file; closing the wrapper would close it too


def check_xlsx_container(handle) -> None:
    """Refuse a zip bomb, a workbook linking to other files, or a broken container, from the
    zip's directory alone (zipfile never inflates a member beyond its declared size)."""
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError(_("Not a valid XLSX file, or the file is damaged.")) from None
    members = archive.infolist()
    total = sum(m.file_size for m in members)
    if total > conf.max_uncompressed_bytes() or len(members) > 10_000:
        raise ImportFileError(_("The XLSX file is too large once uncompressed; refused."))
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > conf.max_compression_ratio() * max(member.compress_size, 1):
            raise ImportFileError(_("The XLSX file has an abnormal compression ratio (a suspected zip bomb); refused."))
        if member.filename.startswith("xl/externalLinks/"):
            raise ImportFileError(_("The XLSX file contains external links to other files; please remove them and import again."))
    if "[Content_Types].xml" not in archive.namelist():
        raise ImportFileError(_("Not a valid XLSX file, or the file is damaged."))


def _xlsx_rows(handle):
    check_xlsx_container(handle)
    handle.seek(0)
    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True, keep_links=False)
    except BROKEN_XLSX:
        raise ImportFileError(_("Not a valid XLSX file, or the file is damaged.")) from None
    try:
        # Explicit bounds: a read-only sheet otherwise pads every row to the declared <dimension>
        # (A1:XFD1048576 means 16,384 columns times a million rows of nothing).
        rows = book.active.iter_rows(min_row=1, min_col=1, max_row=conf.max_rows() + 2,
                                     max_col=conf.max_columns() + 1, values_only=True)
        yield from enumerate(rows, 1)
    except BROKEN_XLSX:
        raise ImportFileError(_("The XLSX file's content is damaged and cannot be read.")) from None
    finally:
        book.close()


@contextmanager
def open_table(source, filename: str = ""):
    """Open ``source`` (bytes, a path, or a binary file object) as a :class:`Table`; the format
    is chosen by content, so a renamed file still opens right."""
    if isinstance(source, (bytes, bytearray)):
        handle, owned = io.BytesIO(source), True
    elif isinstance(source, (str, os.PathLike)):
        handle, owned = open(source, "rb"), True
    else:
        handle, owned = source, False
    rows = None
    try:
        magic = handle.read(4)
        handle.seek(0)
        if magic.startswith(XLSX_MAGIC):
            rows = _xlsx_rows(handle)
        elif magic.startswith(OLE_MAGIC) or filename.lower().endswith(".xls"):
            raise ImportFileError(_("Old .xls files are not supported; please save as .xlsx or CSV and import again."))
        else:
            rows = _csv_rows(handle)
        yield Table(rows)
    finally:
        if rows is not None:
            rows.close()
        if owned:
            handle.close()


def count_rows(source, filename: str = "", limit: int | None = None) -> int:
    """Data rows in the file (blank rows not counted), reading it once without keeping it;
    with ``limit``, reading stops there (the answer is then at most ``limit``)."""
    with open_table(source, filename) as table:
        return sum(1 for _row in islice(table, limit))


def read_table(data: bytes, filename: str = "") -> tablib.Dataset:
    """The whole file as a tablib Dataset with ``source_rows`` (for the admin's import form,
    which wants a Dataset; imports through the service stream instead)."""
    with open_table(data, filename) as table:
        dataset = tablib.Dataset(headers=table.headers)
        dataset.source_rows = []
        for number, values in table:
            dataset.append(values)
            dataset.source_rows.append(number)
    return dataset


def read_csv(data: bytes) -> tablib.Dataset:
    if data.startswith(XLSX_MAGIC):
        raise ImportFileError(_("Not a CSV: this is an XLSX file."))
    return read_table(data, "import.csv")


def read_xlsx(data) -> tablib.Dataset:
    if hasattr(data, "read"):
        data = data.read()
    if not bytes(data[:4]).startswith(XLSX_MAGIC):
        raise ImportFileError(_("Not a valid XLSX file, or the file is damaged."))
    return read_table(bytes(data), "import.xlsx")
