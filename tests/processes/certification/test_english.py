"""D7: with English chosen, this process's own part of a workbench page, of the portal and its
API errors carry no Chinese beyond the data the test created (names, titles); in the default
language the same places read in Chinese as before.

Only the markup this process renders is checked: the page frames (menus, header, other
processes' portal sections) belong to other apps and are checked by their own tests."""
import re

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import member

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
# the records the test makes: organization, manager, volunteer, activity, the request's purpose
DATA = ("测试阳光志愿者协会", "组织负责人", "钱老师", "李小萌", "社区敬老服务", "金水区文化路", "陪伴老人", "求职")


@pytest.fixture(autouse=True)
def clear_throttle():
    cache.clear()


@pytest.fixture
def issued(vol_user, org, manager, approved_record):
    api = APIClient()
    api.force_authenticate(vol_user)
    res = api.post("/api/v1/certification/requests/", {"organization": org.pk, "purpose": "求职"}, format="json")
    assert res.status_code == 201, res.data
    api.force_authenticate(manager)
    res = api.post(f"/api/v1/certification/requests/{res.data['reference']}/decide/", {"decision": "issue"},
                   format="json")
    assert res.status_code == 200 and res.data["status"] == "issued", res.data
    return res.data["reference"]


def chinese_outside_data(text: str) -> list[str]:
    for value in DATA:
        text = text.replace(value, "")
    return CJK.findall(text)


def own_markup(page: str, start: str) -> str:
    """The cards this process renders: each ``<div`` opening with ``start`` up to its ``</div>``
    (the process's cards hold no nested div)."""
    parts = re.findall(re.escape(start) + r".*?</div>", page, flags=re.S)
    assert parts, f"no {start!r} on the page"
    return "\n".join(parts)


@pytest.fixture
def city_staff(db):
    return member("mca", "staff", username="mca_register")


def register_page(client, staff, language=None):
    if language:
        client.cookies["django_language"] = language
    client.force_login(staff)
    res = client.get("/workbench/certificates/")
    assert res.status_code == 200
    return own_markup(res.content.decode(), '<div class="mdc-card zy-card">')


def volunteer_portal(client, vol_user, language=None):
    if language:
        client.cookies["django_language"] = language
    client.force_login(vol_user)
    res = client.get("/portal/certification/")
    assert res.status_code == 200
    return own_markup(res.content.decode(), '<div class="card" id="cert-')


def test_workbench_register_in_english_and_chinese(client, city_staff, issued):
    english = register_page(client, city_staff, "en")
    assert "Volunteer service certificate register" in english and "Valid" in english
    assert chinese_outside_data(english) == []
    client.cookies.clear()
    chinese = register_page(client, city_staff)
    assert "志愿服务证明登记簿" in chinese and "有效" in chinese and "证明编号" in chinese


def test_volunteer_portal_in_english_and_chinese(client, vol_user, issued):
    english = volunteer_portal(client, vol_user, "en")
    assert "My volunteer service records" in english and "My certificates" in english
    assert "Request a volunteer service certificate" in english
    assert chinese_outside_data(english) == []
    client.cookies.clear()
    chinese = volunteer_portal(client, vol_user)
    assert "我的志愿服务记录" in chinese and "我的证明" in chinese and "申请志愿服务证明" in chinese
    assert "已认定服务时长" in chinese and "6.50" in chinese


def test_api_errors_answer_in_the_language_asked(vol_user, issued):
    api = APIClient()
    api.force_authenticate(vol_user)
    url = f"/api/v1/certification/requests/{issued}/decide/"
    english = api.post(url, {"decision": "issue"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 409
    assert english.data["detail"] == "This case has no open step."
    unknown = api.get("/api/v1/certification/verify/?number=ZS-0000-000000&code=WRONG", HTTP_ACCEPT_LANGUAGE="en")
    assert unknown.status_code == 404
    assert chinese_outside_data(unknown.content.decode()) == []
    assert "check the number and the verification code" in unknown.data["label"]
    chinese = api.post(url, {"decision": "issue"}, format="json")
    assert chinese.status_code == 409 and chinese.data["detail"] == "该案件没有待办理的环节。"
    unknown = api.get("/api/v1/certification/verify/?number=ZS-0000-000000&code=WRONG")
    assert unknown.data["label"] == "未找到该证明，请核对编号和验证码。"
