"""In a real browser at a desktop's 1366 px and a phone's 390 px: the portal's pages and a
workbench task page never scroll sideways, tables read as cards on the phone, and the portal's
menu folds behind a button there. Screenshots are kept in ``shots`` (tests/e2e/conftest.py)."""
import pytest
from django.contrib.auth import get_user_model

from engine.cases.models import TaskRoute
from engine.directory.models import Department, Organization
from processes.incubation import services

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1366, "phone": 390}
PORTAL_PAGES = ["/portal/", "/portal/incubation/", "/portal/procurement/", "/portal/certification/", "/portal/account/"]


def _no_sideways_scroll(page):
    width, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url}: {width} px wide in a {inner} px window"


def _application():
    applicant = get_user_model().objects.get(username="org_green")
    case = services.application_create(
        actor=applicant, organization=Organization.objects.get(members=applicant),
        base=Department.objects.get(code="base-city"), plan="青年志愿者能力提升，开展社区服务培训与交流活动。",
        documents=["章程.pdf", "理事会成员名单.pdf"])
    return services.application_submit(actor=applicant, application=case)


@pytest.mark.parametrize("screen", WIDTHS)
def test_the_portal_fits_the_screen(browser_page, live_server, demo_data, shots, screen):
    case = _application()
    page = browser_page
    page.set_viewport_size({"width": WIDTHS[screen], "height": 844})
    login(page, live_server, "org_green", demo_data["password"])
    for n, path in enumerate(PORTAL_PAGES):
        page.goto(f"{live_server.url}{path}")
        _no_sideways_scroll(page)
        page.screenshot(path=str(shots / f"portal-{screen}-{n}.png"), full_page=True)

    page.goto(f"{live_server.url}/portal/incubation/")
    row = page.locator(f"tr.incubation-application[data-reference='{case.reference}']")
    menu_link = page.locator(".portal-nav__links a[href='/portal/account/']")
    if screen == "phone":
        # a card: the header row is hidden and each cell carries its column's title
        assert page.locator("#incubation tr.zy-head-row").is_hidden()
        assert row.locator("td").first.get_attribute("data-label") == "编号"
        box = row.bounding_box()
        assert box["width"] <= WIDTHS[screen]
        assert menu_link.is_hidden()
        page.click("label.portal-nav__button")
        assert menu_link.is_visible()
    else:
        assert page.locator("#incubation tr.zy-head-row").is_visible()
        assert menu_link.is_visible()
    with page.expect_navigation():
        menu_link.click()
    assert page.url.endswith("/portal/account/")
    assert "org_green" in page.content()


@pytest.mark.parametrize("screen", WIDTHS)
def test_a_task_page_fits_the_screen(browser_page, live_server, demo_data, shots, screen):
    case = _application()
    route = TaskRoute.objects.get(reference=case.reference, node="intake")
    page = browser_page
    page.set_viewport_size({"width": WIDTHS[screen], "height": 844})
    login(page, live_server, "base_staff", demo_data["password"])
    page.goto(f"{live_server.url}/workbench/tasks/task/{route.pk}/")
    page.locator(".incubation-summary").wait_for()
    _no_sideways_scroll(page)
    page.screenshot(path=str(shots / f"task-{screen}.png"), full_page=True)
    page.goto(f"{live_server.url}/workbench/tasks/case/{case.reference}/")
    page.locator(".zy-chart svg").wait_for()
    _no_sideways_scroll(page)
    page.screenshot(path=str(shots / f"case-{screen}.png"), full_page=True)
    page.goto(f"{live_server.url}/workbench/tasks/queue/")
    page.get_by_role("link", name=case.reference).wait_for()
    _no_sideways_scroll(page)
    page.screenshot(path=str(shots / f"queue-{screen}.png"), full_page=True)
