"""D7: with English chosen this process's pages and API errors read in English (no Chinese
outside the records' own data); without a choice they stay in Chinese, as before."""
import re

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


def chinese_outside(text, data) -> list[str]:
    """The runs of Chinese left in ``text`` once the records' own strings are taken out."""
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(str(value), "")
    return CJK.findall(text)


def record_data(tender, people) -> list[str]:
    """What users typed or the reference data holds: names, titles, the catalogue's texts."""
    item = tender.catalogue_item
    return [tender.name, tender.department.name, item.name, item.category, item.service_standard, item.unit,
            *(o.name for o in people["orgs"]), *(c["name"] for c in tender.criteria)]


def portal_section(html) -> str:
    start = html.index('id="procurement"')
    return html[start:html.index("</div>", start)]


def tender_list(html) -> str:
    start = html.index('class="zy-filters"')
    return html[start:html.index("</table>", start)]


def test_portal_section_in_english_and_by_default_in_chinese(client, drive, people):
    tender = drive.open_bidding()
    client.force_login(people["org_users"][0])
    chinese = portal_section(client.get("/portal/procurement/").content.decode())
    assert "正在招标的项目" in chinese and "最高限价" in chinese and "公开招标" in chinese
    client.cookies["django_language"] = "en"
    english = portal_section(client.get("/portal/procurement/").content.decode())
    assert "Tenders open for bids" in english and "Open tender" in english and tender.reference in english
    assert chinese_outside(english, record_data(tender, people)) == []


def test_workbench_tender_list_in_english_and_by_default_in_chinese(client, drive, people):
    tender = drive.open_bidding()
    client.force_login(people["staff"])
    chinese = tender_list(client.get("/workbench/procurement/").content.decode())
    assert "采购部门" in chinese and "投标截止" in chinese and tender.get_status_display() in chinese
    client.cookies["django_language"] = "en"
    english = tender_list(client.get("/workbench/procurement/").content.decode())
    assert "Purchasing department" in english and "Bidding deadline" in english and "Bidding" in english
    assert chinese_outside(english, record_data(tender, people)) == []


def test_api_error_in_the_language_asked_for(people):
    api = APIClient()
    api.force_authenticate(people["staff"])
    english = api.get("/api/v1/procurement/tenders/ZB-2000-999999/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 404 and english.json()["detail"] == "No such tender."
    chinese = api.get("/api/v1/procurement/tenders/ZB-2000-999999/")
    assert chinese.status_code == 404 and chinese.json()["detail"] == "采购项目不存在。"
