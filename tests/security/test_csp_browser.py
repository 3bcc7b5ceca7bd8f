"""The content security policy keeps the pages working: a real browser reports no blocked
script, style or resource on the login page, the staff workbench (viewflow's Material UI),
the dashboard, the portal, the public verification page and the API docs."""
import pytest

from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _watch(page):
    problems = []
    page.on("console", lambda msg: problems.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text else None)
    page.on("pageerror", lambda exc: problems.append(f"脚本错误: {exc}"))
    return problems


def _visit(page, url):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    assert response.status < 400, (url, response.status)
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_pages_load_without_policy_violations(browser_page, live_server, demo_data):
    page = browser_page
    problems = _watch(page)
    for path in ("/accounts/login/", "/certification/verify/", "/api/v1/docs/"):
        _visit(page, f"{live_server.url}{path}")
    assert page.locator(".swagger-ui").count() == 1  # the docs' script ran from its own file
    login(page, live_server, "mca_staff", demo_data["password"])
    for path in ("/workbench/", "/workbench/dashboard/", "/dashboard/"):
        _visit(page, f"{live_server.url}{path}")
    page.context.clear_cookies()
    login(page, live_server, "org_sunshine", demo_data["password"])
    _visit(page, f"{live_server.url}/portal/")
    assert problems == []


def test_an_inline_script_would_be_blocked(browser_page, live_server, demo_data):
    """The check above can fail: a script injected into a page is refused and reported."""
    page = browser_page
    problems = _watch(page)
    _visit(page, f"{live_server.url}/accounts/login/")
    page.evaluate("""() => { const s = document.createElement('script');
                             s.textContent = 'window.injected = true'; document.body.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.injected === undefined")
    assert any("Content Security Policy" in p for p in problems)


def test_a_confirm_form_asks_before_sending(browser_page, live_server, demo_data):
    """ui/confirm.js replaces inline onsubmit handlers: dismissing the dialog keeps the page."""
    page = browser_page
    _visit(page, f"{live_server.url}/accounts/login/")
    page.evaluate("""() => { const f = document.querySelector('form[method=post]:not(.inline)');
                             f.setAttribute('data-confirm', '确定？'); }""")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.fill("#id_username", "mca_staff")
    page.fill("#id_password", demo_data["password"])
    page.click("button[type=submit]")
    page.wait_for_timeout(300)
    assert asked == ["确定？"]
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
