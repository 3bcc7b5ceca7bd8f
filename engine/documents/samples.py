"""Small real files for demo data and tests: a one-page PDF drawn with reportlab (Chinese with
its built-in CID font, no font file needed)."""
import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"


def pdf_bytes(title: str, lines=()) -> bytes:
    """A one-page A4 PDF with ``title`` and ``lines``."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    page.setTitle(title)
    page.setFont(FONT, 18)
    page.drawString(72, 770, title)
    page.setFont(FONT, 11)
    for i, line in enumerate(lines):
        page.drawString(72, 740 - 18 * i, str(line))
    page.showPage()
    page.save()
    return buffer.getvalue()
