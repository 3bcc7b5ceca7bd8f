"""D7 in a real browser: the language switch on the portal and on the workbench changes the
language, and the choice is kept on the pages visited after (the ``django_language`` cookie);
Chinese stays the default until then."""
import pytest

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def switch_to(page, language):
    """Press the language switch's button for ``language`` on the current page."""
    with page.expect_navigation():
        page.click(f'button[name="language"][value="{language}"]')


def test_portal_keeps_english_once_chosen(browser_page, live_server, demo_data, shots):
    page = login(browser_page, live_server, "vol_li", demo_data["password"])
    assert page.url.startswith(f"{live_server.url}/portal/"), page.url
    assert page.locator("html").get_attribute("lang") == "zh-hans"

    switch_to(page, "en")

    assert page.url.startswith(f"{live_server.url}/portal/"), page.url
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(f"{live_server.url}/certification/verify/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Volunteer service certificate verification"
    page.goto(f"{live_server.url}/portal/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "简体中文" in page.content()  # the switch now offers the way back
    page.screenshot(path=str(shots / "portal-english.png"), full_page=True)

    switch_to(page, "zh-hans")
    page.goto(f"{live_server.url}/certification/verify/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text() == "志愿服务证明核验"
    page.screenshot(path=str(shots / "verify-chinese.png"), full_page=True)


def test_workbench_keeps_english_once_chosen(browser_page, live_server, demo_data, shots):
    page = login(browser_page, live_server, "mca_staff", demo_data["password"])
    assert page.url.startswith(f"{live_server.url}/workbench/"), page.url
    assert "志愿郑州工作台" in page.title()

    switch_to(page, "en")

    assert page.url.startswith(f"{live_server.url}/workbench/"), page.url
    assert "Zhiyuan Zhengzhou workbench" in page.title()
    page.goto(f"{live_server.url}/workbench/tasks/inbox/")
    assert "My tasks" in page.content()
    page.goto(f"{live_server.url}/workbench/tasks/queue/")
    assert "Department queue" in page.content() and "部门队列" not in page.content()
    shot = shots / "workbench-english.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0

    switch_to(page, "zh-hans")
    page.goto(f"{live_server.url}/workbench/tasks/inbox/")
    assert "我的待办" in page.content()
    page.screenshot(path=str(shots / "workbench-chinese.png"), full_page=True)
