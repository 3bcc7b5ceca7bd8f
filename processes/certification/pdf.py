"""The certificate as a PDF in Chinese (R8): reportlab's built-in CID font ``STSong-Light``
needs no font file; a QR code (segno) opens the public verification page (R10)."""
from io import BytesIO
from urllib.parse import urlencode

import segno
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from . import conf

FONT = "STSong-Light"
CATEGORY = {"service": "志愿服务", "training": "培训", "commendation": "褒奖", "evaluation": "评价"}


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


def certificate_pdf(cert, base_url: str | None = None) -> bytes:
    _font()
    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle(f"志愿服务证明 {cert.number}")
    width, height = A4
    y = height - 30 * mm
    c.setFont(FONT, 22)
    c.drawCentredString(width / 2, y, "志愿服务证明")
    y -= 14 * mm
    c.setFont(FONT, 11)
    lines = [
        f"证明编号：{cert.number}        验证码：{cert.verification_code}",
        f"出具日期：{timezone.localdate(cert.issued_at):%Y年%m月%d日}",
        f"志愿者：{cert.volunteer_name}        身份证号：{cert.volunteer_id_masked}",
        f"记录单位：{cert.recording_organization}",
        f"出具单位：{cert.issuer_name}        联系方式：{cert.issuer_contact or '—'}",
        f"服务总时长：{cert.total_hours} 小时",
    ]
    for line in lines:
        c.drawString(20 * mm, y, _fit(line, width - 40 * mm, 11))
        y -= 8 * mm
    y -= 4 * mm
    c.setFont(FONT, 10)
    columns = ((20, "日期"), (45, "类别"), (62, "活动名称 / 服务内容"), (140, "地点"))
    for x, label in columns:
        c.drawString(x * mm, y, label)
    c.drawRightString(width - 20 * mm, y, "时长")
    y -= 2 * mm
    c.line(20 * mm, y, width - 20 * mm, y)
    y -= 6 * mm
    for item in cert.snapshot:
        if y < 60 * mm:
            c.showPage()
            c.setFont(FONT, 10)
            y = height - 25 * mm
        c.drawString(20 * mm, y, item["date"])
        c.drawString(45 * mm, y, CATEGORY.get(item.get("category"), ""))
        what = item["activity"]
        if item.get("content") and item["content"] != item["activity"]:
            what = f"{what} / {item['content']}"
        c.drawString(62 * mm, y, _fit(what, 76 * mm, 10))
        c.drawString(140 * mm, y, _fit(item.get("place") or "", 30 * mm, 10))
        hourless = item.get("category") in ("commendation", "evaluation")  # not time (R2a)
        c.drawRightString(width - 20 * mm, y, "—" if hourless else f"{item['hours']} 小时")
        y -= 7 * mm
    url = verification_url(cert, base_url)
    qr = BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=4, border=2)
    qr.seek(0)
    c.drawImage(ImageReader(qr), width - 60 * mm, 20 * mm, 40 * mm, 40 * mm)
    # the text left of the QR code stays clear of it: wrapped to the room there is
    text_width = width - 65 * mm - 20 * mm
    c.setFont(FONT, 9)
    c.drawString(20 * mm, 54 * mm, "扫描右侧二维码或访问以下地址，凭证明编号和验证码核验本证明：")
    lines = ([(line, 8) for line in _wrap(url, text_width, 8)] + [(f"签名（Ed25519，密钥 {cert.key_id}）：", 8)]
             + [(line, 7) for line in _wrap(cert.signature, text_width, 7)])
    y = 49 * mm
    for line, size in lines:
        c.setFont(FONT, size)
        c.drawString(20 * mm, y, line)
        y -= 4.2 * mm
    c.setFont(FONT, 9)
    c.drawString(20 * mm, 20 * mm, "本证明依据志愿服务记录出具，免费提供。" + ("（已加盖公章）" if cert.sealed else ""))
    c.showPage()
    c.save()
    return buf.getvalue()
