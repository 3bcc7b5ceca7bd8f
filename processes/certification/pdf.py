"""The certificate as a PDF in the active language, Chinese by default (R8): reportlab's built-in CID font ``STSong-Light``
needs no font file; a QR code (segno) opens the public verification page (R10)."""
from io import BytesIO
from urllib.parse import urlencode

import segno
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from engine.formatting import local_date

from . import conf

FONT = "STSong-Light"
CATEGORY = {"service": gettext_lazy("Volunteer service"), "training": gettext_lazy("Training"),
            "commendation": gettext_lazy("Commendation"), "evaluation": gettext_lazy("Evaluation")}


def verification_url(cert, base_url: str | None = None) -> str:
    base = (base_url or conf.public_base_url()).rstrip("/")
    return f"{base}/certification/verify/?" + urlencode({"number": cert.number, "code": cert.verification_code})


def _fit(text: str, room: float, size: float) -> str:
    """Cut ``text`` to the width it may take, marking the cut with an ellipsis."""
    if pdfmetrics.stringWidth(text, FONT, size) <= room:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT, size) > room:
        text = text[:-1]
    return text + "…"


def _wrap(text: str, room: float, size: float) -> list[str]:
    """Break ``text`` (a URL, a signature: no spaces to break at) into lines of ``room`` width."""
    lines, line = [], ""
    for ch in text:
        if line and pdfmetrics.stringWidth(line + ch, FONT, size) > room:
            lines.append(line)
            line = ""
        line += ch
    return lines + ([line] if line else [])


def _font():
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _honours(c, cert, y, width, height):
    """Seed 二(四): the star rating and the departments' commendations the certificate lists
    (only when the volunteer asked; they are part of the signed content)."""
    if not cert.honours:
        return y
    lines = [_("Star rating: %(stars)s of 5") % {"stars": cert.honours.get("stars", 0)}]
    for item in cert.honours.get("commendations", []):
        number = f" ({item['number']})" if item.get("number") else ""
        lines.append(_("%(date)s Commended by %(department)s: %(title)s") % {
            "date": item["date"], "department": item["department"], "title": item["title"]} + number)
    y -= 3 * mm
    for line in lines:
        if y < 60 * mm:
            c.showPage()
            y = height - 25 * mm
        c.setFont(FONT, 10)
        c.drawString(20 * mm, y, _fit(line, width - 40 * mm, 10))
        y -= 7 * mm
    return y


def certificate_pdf(cert, base_url: str | None = None) -> bytes:
    _font()
    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle(_("Volunteer service certificate %(number)s") % {"number": cert.number})
    width, height = A4
    y = height - 30 * mm
    c.setFont(FONT, 22)
    c.drawCentredString(width / 2, y, _("Volunteer service certificate"))
    y -= 14 * mm
    c.setFont(FONT, 11)
    lines = [
        _("Certificate number: %(number)s        Verification code: %(code)s") % {
            "number": cert.number, "code": cert.verification_code},
        _("Date of issue: %(date)s") % {"date": local_date(cert.issued_at)},
        _("Volunteer: %(name)s        ID number: %(id)s") % {"name": cert.volunteer_name, "id": cert.volunteer_id_masked},
        _("Recording organization: %(name)s") % {"name": cert.recording_organization},
        _("Issuer: %(name)s        Contact: %(contact)s") % {"name": cert.issuer_name, "contact": cert.issuer_contact or "—"},
        _("Total service hours: %(hours)s hours") % {"hours": cert.total_hours},
    ]
    for line in lines:
        c.drawString(20 * mm, y, _fit(line, width - 40 * mm, 11))
        y -= 8 * mm
    y -= 4 * mm
    c.setFont(FONT, 10)
    columns = ((20, _("Date")), (45, _("Category")), (62, _("Activity / service content")), (140, _("Place")))
    for x, label in columns:
        c.drawString(x * mm, y, label)
    c.drawRightString(width - 20 * mm, y, _("Hours"))
    y -= 2 * mm
    c.line(20 * mm, y, width - 20 * mm, y)
    y -= 6 * mm
    for item in cert.snapshot:
        if y < 60 * mm:
            c.showPage()
            c.setFont(FONT, 10)
            y = height - 25 * mm
        c.drawString(20 * mm, y, item["date"])
        c.drawString(45 * mm, y, str(CATEGORY.get(item.get("category"), "")))
        what = item["activity"]
        if item.get("content") and item["content"] != item["activity"]:
            what = f"{what} / {item['content']}"
        c.drawString(62 * mm, y, _fit(what, 76 * mm, 10))
        c.drawString(140 * mm, y, _fit(item.get("place") or "", 30 * mm, 10))
        hourless = item.get("category") in ("commendation", "evaluation")  # not time (R2a)
        c.drawRightString(width - 20 * mm, y, "—" if hourless else _("%(hours)s hours") % {"hours": item["hours"]})
        y -= 7 * mm
    y = _honours(c, cert, y, width, height)
    url = verification_url(cert, base_url)
    qr = BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=4, border=2)
    qr.seek(0)
    c.drawImage(ImageReader(qr), width - 60 * mm, 20 * mm, 40 * mm, 40 * mm)
    # the text left of the QR code stays clear of it: wrapped to the room there is
    text_width = width - 65 * mm - 20 * mm
    c.setFont(FONT, 9)
    c.drawString(20 * mm, 54 * mm, _("Scan the QR code on the right or visit this address to verify the certificate "
                                     "with its number and verification code:"))
    lines = ([(line, 8) for line in _wrap(url, text_width, 8)] + [(_("Signature (Ed25519, key %(key)s):") % {"key": cert.key_id}, 8)]
             + [(line, 7) for line in _wrap(cert.signature, text_width, 7)])
    y = 49 * mm
    for line, size in lines:
        c.setFont(FONT, size)
        c.drawString(20 * mm, y, line)
        y -= 4.2 * mm
    c.setFont(FONT, 9)
    c.drawString(20 * mm, 20 * mm, _("Issued free of charge from the volunteer service records. (Sealed)") if cert.sealed
                 else _("Issued free of charge from the volunteer service records."))
    c.showPage()
    c.save()
    return buf.getvalue()
