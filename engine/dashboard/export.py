"""Every chart's data as an XLSX workbook: one sheet per chart, its title, the period and the
"as of" time of a snapshot above the same rows the page shows (numbers stay numbers)."""
import re
from decimal import Decimal
from io import BytesIO

from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from engine.formatting import local_datetime

from .charts import DAYS, HOURS, MONEY, PERCENT

FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
FORMATS = {MONEY: '"¥"#,##0.00', PERCENT: '0.00"%"', HOURS: "0.00", DAYS: "0.0"}


def workbook(charts, period: str) -> bytes:
    book = Workbook()
    book.remove(book.active)
    names = set()
    for chart in charts:
        sheet = book.create_sheet(sheet_name(chart, names))
        sheet.append([force_str(chart.title)])
        sheet["A1"].font = Font(bold=True)
        sheet.append([period] + ([_("As of %(time)s") % {"time": local_datetime(chart.as_of)}] if chart.as_of else []))
        sheet.append([force_str(c.label) for c in chart.columns])
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for row in chart.rows:
            sheet.append([v if v is None or isinstance(v, (int, float, Decimal)) else force_str(v) for v in row])
            for cell, column in zip(sheet[sheet.max_row], chart.columns, strict=False):
                if column.kind in FORMATS:
                    cell.number_format = FORMATS[column.kind]
        if chart.note:
            sheet.append([])
            sheet.append([force_str(chart.note)])
        sheet.column_dimensions["A"].width = 36
    buf = BytesIO()
    book.save(buf)
    return buf.getvalue()



def sheet_name(chart, taken: set) -> str:
    """The chart's title as a sheet name (at most 31 characters, none of ``[]:*?/\\``, unique)."""
    base = FORBIDDEN.sub(" ", force_str(chart.title))[:31].strip()
    name, n = base, 2
    while name in taken:
        name = f"{base[:28]} {n}"
        n += 1
    taken.add(name)
    return name
