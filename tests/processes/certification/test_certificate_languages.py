"""D7 for certificates: the PDF is Chinese by default and English when English is chosen (for
volunteers who need it abroad), with no Chinese in the English one outside the volunteer's
data; the public verification page reads in either language."""
from io import BytesIO

import pytest
from pypdf import PdfReader

from processes.certification.models import Certificate, mask_name
from tests.processes.certification.test_english import CJK, DATA, clear_throttle, issued  # noqa: F401

pytestmark = pytest.mark.django_db

# what the certificate's lines carry from the data: names, the place, masked ID, the issuer
DATA_ON_CERTIFICATE = (*DATA, "测试阳光志愿者协会")


@pytest.fixture
def certificate(issued):  # noqa: F811
    return Certificate.objects.get(request__reference=issued)


def pdf_text(client, user, certificate, language=None) -> str:
    client.cookies.clear()
    if language:
        client.cookies["django_language"] = language
    client.force_login(user)
    response = client.get(f"/certification/certificates/{certificate.number}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)


def chinese_outside(text: str, data) -> list[str]:
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, "")
    return CJK.findall(text)


def test_certificate_pdf_in_english_has_english_labels_and_no_chinese_outside_the_data(client, vol_user, certificate):
    text = pdf_text(client, vol_user, certificate, "en")

    for label in ("Volunteer service certificate", "Certificate number", "Verification code", "Date of issue",
                  "Recording organization", "Total service hours", "Activity / service content", "Hours"):
        assert label in text, label
    assert certificate.number in text and certificate.verification_code in text
    data = (*DATA_ON_CERTIFICATE, certificate.volunteer_name, certificate.recording_organization,
            certificate.issuer_name, certificate.issuer_contact or "",
            *(item[key] for item in certificate.snapshot for key in ("activity", "content", "place") if item.get(key)))
    assert chinese_outside(text, [value for value in data if value]) == []


def test_certificate_pdf_is_chinese_by_default(client, vol_user, certificate):
    text = pdf_text(client, vol_user, certificate)

    for label in ("志愿服务证明", "证明编号", "验证码", "出具日期", "志愿者", "记录单位"):
        assert label in text, label
    assert "Volunteer service certificate" not in text and "Certificate number" not in text


def test_public_verification_page_in_both_languages(client, certificate):
    url = f"/certification/verify/?number={certificate.number}&code={certificate.verification_code}"
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "Valid" in english and certificate.number in english
    assert chinese_outside(english.replace('lang="zh-hans">简体中文', ""), DATA_ON_CERTIFICATE + (
        mask_name(certificate.volunteer_name), certificate.issuer_name, certificate.recording_organization)) == []

    client.cookies.clear()
    chinese = client.get(url).content.decode()
    assert "有效" in chinese and "核验" in chinese and "Valid" not in chinese
