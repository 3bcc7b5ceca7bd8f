"""The printable monthly report (issue #14): for a department head, their departments' figures;
for the city, all of them. reportlab's built-in CID font ``STSong-Light`` draws the Chinese
with no font file, so the report needs nothing installed."""
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from engine.formatting import local_datetime

from .charts import display

FONT = "STSong-Light"


def _font():
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def report_pdf(charts, *, title: str, period: str, audience: str, generated_at) -> bytes:
    _font()
    heading = ParagraphStyle("h", fontName=FONT, fontSize=16, leading=22, spaceAfter=4)
    section = ParagraphStyle("s", fontName=FONT, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("b", fontName=FONT, fontSize=8.5, leading=11)
    cell = ParagraphStyle("c", fontName=FONT, fontSize=8, leading=10)
    story = [Paragraph(escape(title), heading),
             Paragraph(escape(f"{period} · {audience} · " + _("Generated at %(time)s") % {"time": local_datetime(generated_at)}), body),
             Spacer(1, 4 * mm)]
    width = A4[0] - 30 * mm
    for chart in charts:
        story.append(Paragraph(escape(force_str(chart.title)), section))
        data = [[Paragraph(escape(force_str(c.label)), cell) for c in chart.columns]]
        data += [[Paragraph(escape(display(v, c.kind)), cell) for v, c in zip(row, chart.columns, strict=False)]
                 for row in chart.rows] or [[Paragraph(_("No data for this period."), cell)] + [""] * (len(chart.columns) - 1)]
        first = width * 0.34
        rest = (width - first) / max(1, len(chart.columns) - 1)
        table = Table(data, colWidths=[first] + [rest] * (len(chart.columns) - 1), repeatRows=1)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        story.append(table)
        notes = [force_str(chart.note)] if chart.note else []
        if chart.as_of:
            notes.append(_("As of %(time)s") % {"time": local_datetime(chart.as_of)})
        if notes:
            story.append(Paragraph(escape(" ".join(notes)), body))
    buf = BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                      bottomMargin=15 * mm, title=title).build(story)
    return buf.getvalue()
