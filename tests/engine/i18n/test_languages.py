"""D7: Chinese unless the visitor chose English; the choice is remembered across pages, the
admin and the workbench included; the API answers in the chosen or requested language."""
import re

import pytest
from rest_framework.test import APIClient

from tests.factories import OrganizationFactory, member

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
# The switch names each language in that language (简体中文 on English pages): not interface text.
SWITCH = re.compile(r'<button name="language" value="zh-hans" lang="zh-hans">简体中文</button>')


def visible_text(page) -> str:
    return SWITCH.sub("", page.content.decode())


def choose(client, language, next_url="/"):
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert response.status_code == 302 and response.cookies["django_language"].value == language


def test_login_and_error_pages_have_no_chinese_once_english_is_chosen(client):
    choose(client, "en", "/accounts/login/")
    login = client.get("/accounts/login/")
    missing = client.get("/no-such-page/")

    assert login["Content-Language"] == "en" and "Log in to Zhiyuan Zhengzhou" in visible_text(login)
    assert missing.status_code == 404 and "Page not found" in visible_text(missing)
    for page in (login, missing):
        assert not CJK.findall(visible_text(page)), CJK.findall(visible_text(page))


def test_login_and_error_pages_stay_chinese_by_default(client):
    login = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")  # the browser's wish alone is not a choice
    missing = client.get("/no-such-page/")

    assert "登录志愿郑州" in login.content.decode() and "用户名" in login.content.decode()
    assert "404 · 页面不存在" in missing.content.decode() and "返回首页" in missing.content.decode()


def test_the_choice_is_remembered_from_the_portal_to_the_admin_and_the_workbench(client):
    assert 'action="/i18n/setlang/"' in client.get("/admin/login/").content.decode()
    client.force_login(member("mca-jinshui", "staff", is_staff=True, is_superuser=True))
    assert 'value="en"' in client.get("/workbench/", follow=True).content.decode()

    choose(client, "en", "/portal/")

    for path in ("/portal/", "/workbench/", "/admin/"):
        page = client.get(path, follow=True)
        assert page.status_code == 200 and page["Content-Language"] == "en", path
        assert 'value="zh-hans"' in page.content.decode(), path  # the switch back, on every page
    assert "Organizations and people" in client.get("/admin/", follow=True).content.decode()


def refused_end(client, organization):
    return client.post(f"/api/v1/organizations/{organization.pk}/end/", {"status": "dissolved", "reason": "x"},
                       format="json")


def test_directory_api_errors_follow_accept_language_or_the_chosen_language():
    organization = OrganizationFactory()
    client = APIClient()
    client.force_authenticate(member("mca-erqi", "staff"))

    chinese = refused_end(client, organization)
    english = client.post(f"/api/v1/organizations/{organization.pk}/end/", {"status": "dissolved", "reason": "x"},
                          format="json", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.cookies["django_language"] = "en"
    chosen = refused_end(client, organization)

    assert chinese.status_code == english.status_code == chosen.status_code == 403
    assert "业务主管部门" in chinese.json()["detail"]
    assert english.json()["detail"].startswith("Only a reviewer or head of the organization's supervising department")
    assert chosen.json() == english.json() and not CJK.search(str(english.json()))
    assert english["Content-Language"] == "en"
