"""Smoke test in a real browser: the Chinese login page, a demo user reaching the workbench."""
import pytest

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_logs_in_and_lands_on_the_workbench(browser_page, live_server, demo_data, shots):
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("h1").inner_text() == "登录志愿郑州"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.screenshot(path=str(shots / "login.png"))

    login(page, live_server, "mca_staff", demo_data["password"])

    assert page.url.startswith(f"{live_server.url}/workbench/"), page.url
    assert "志愿郑州工作台" in page.title()
    assert "王敏（市民政局经办）" in page.content()
    shot = shots / "workbench.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0


def test_wrong_password_stays_on_the_login_page(browser_page, live_server, demo_data):
    page = login(browser_page, live_server, "mca_staff", "not-the-password")

    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert "用户名或密码不正确" in page.content()
