"""The dashboard in a real browser (issue #14): a department head and a city leader open it,
its charts are drawn (ECharts, served from the project's own static files) and read in
Chinese, the head does not see another department's figures, an organization is refused.
Screenshots are kept in ``shots`` (tests/e2e/conftest.py) to look at."""

import pytest
import time_machine

from engine.dashboard import snapshots
from engine.directory.models import Department
from tests.engine.dashboard import known_data

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

def _open(page, url, name, shots):
    page.goto(url)
    page.wait_for_function("document.documentElement.getAttribute('data-charts-drawn') !== null")
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    return int(page.locator("html").get_attribute("data-charts-drawn"))


def test_head_and_leader_open_the_dashboard(browser_page, live_server, demo_data, shots):
    with time_machine.travel(known_data.NOW, tick=False):
        known_data.build()
        snapshots.refresh(known_data.YEAR)
    fin = Department.objects.get(code="fin").name
    url = f"{live_server.url}/workbench/dashboard/?year=2026"
    page = login(browser_page, live_server, "mca_head", demo_data["password"])
    drawn = _open(page, url, "head", shots)
    assert drawn >= 8
    assert page.locator('[data-chart="goal_districts"] svg').count() == 1
    text = page.locator("main").inner_text()
    assert "2025 年目标" in text and "各区县注册志愿者与常住人口 15% 目标" in text
    assert fin not in page.content()  # the finance bureau's budget is another department's
    page.set_viewport_size({"width": 390, "height": 844})
    _open(page, url, "head-390", shots)
    assert page.evaluate("document.querySelector('.zy-dash').getBoundingClientRect().width") <= 390

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "leader", demo_data["password"])
    assert _open(page, url, "leader", shots) > drawn
    assert fin in page.content()
    assert page.locator('[data-chart="budgets"] svg').count() == 1

    page.context.clear_cookies()
    login(page, live_server, "org_sunshine", demo_data["password"])
    response = page.goto(url)
    assert response.status == 403
