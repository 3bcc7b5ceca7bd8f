"""The certificate PDF's layout helpers: columns and the text beside the QR code keep to their
room, so long names, places, URLs and the signature never run into the next column or under
the QR code."""
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from processes.certification import pdf


def test_fit_cuts_long_text_to_its_column_with_an_ellipsis():
    pdf._font()
    long = "一个非常非常长的活动名称用于检验截断是否正常工作不会覆盖地点列"
    cut = pdf._fit(long, 76 * mm, 10)
    assert cut.endswith("…") and long.startswith(cut[:-1])
    assert pdfmetrics.stringWidth(cut, pdf.FONT, 10) <= 76 * mm
    assert pdf._fit("金水河沿岸", 30 * mm, 10) == "金水河沿岸"


def test_wrap_keeps_every_character_and_every_line_within_the_room():
    pdf._font()
    signature = "ij4t00AFsvPJ10f0E1HMnurzQHmYqB33Nn3LAUh3naN7Mr070fYd22t55HNtXr+823BwJoxXp+0xTI7cwFZfDQ==" * 2
    lines = pdf._wrap(signature, 120 * mm, 7)
    assert "".join(lines) == signature and len(lines) > 1
    assert all(pdfmetrics.stringWidth(line, pdf.FONT, 7) <= 120 * mm for line in lines)

