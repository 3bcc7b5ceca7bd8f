"""In a real browser at a desktop's 1366 px and a phone's 390 px: base staff search the
department queue by part of an organization's name, filter it by step, claim two tasks at once,
open one and return it for supplements; the page says where the case went. The organization
then reads its notifications in the portal: the unread count, marking one read, following its
link to the case. No page scrolls sideways. Screenshots are kept in ``shots``
(tests/e2e/conftest.py)."""

import pytest
from django.contrib.auth import get_user_model

from engine.cases.models import TaskRoute
from engine.directory.models import Department, Organization
from engine.notifications.models import Notification
from processes.incubation import services
from processes.incubation.models import IncubationApplication, Status

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1366, "phone": 390}
REASON = "请补充近一年活动记录"


WIDER = """() => [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
    .slice(0, 8).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))"""


def _no_sideways_scroll(page):
    width, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url}: {width} px wide in a {inner} px window: {page.evaluate(WIDER)}"


def _shot(page, folder, name):
    _no_sideways_scroll(page)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _applications():
    """One application each of two organizations whose names share "志愿服务"."""
    cases = []
    for username in ("org_green", "org_neighbour"):
        applicant = get_user_model().objects.get(username=username)
        case = services.application_create(
            actor=applicant, organization=Organization.objects.get(members=applicant),
            base=Department.objects.get(code="base-city"), plan="社区服务培训与交流活动",
            documents=["章程.pdf", "理事会成员名单.pdf"])
        cases.append(services.application_submit(actor=applicant, application=case))
    return cases


@pytest.mark.parametrize("screen", WIDTHS)
def test_staff_search_claim_two_and_decide_then_the_organization_reads_its_notification(
        browser_page, live_server, demo_data, shots, screen):
    green, neighbour = _applications()
    references = sorted([green.reference, neighbour.reference])
    folder = shots
    page = browser_page
    page.set_viewport_size({"width": WIDTHS[screen], "height": 844})

    # search by part of the organization's name, then filter by step
    login(page, live_server, "base_staff", demo_data["password"])
    page.goto(f"{live_server.url}/workbench/tasks/queue/")
    filters = page.locator("#list-filters")
    filters.locator("input[name=q]").fill("志愿服务")
    filters.locator("select[name=step]").select_option("intake")
    filters.locator("button[type=submit]").click()
    page.wait_for_url("**/workbench/tasks/queue/?*q=*")
    rows = page.locator("table.zy-table tbody tr")
    rows.first.wait_for()
    assert sorted(rows.locator("td a").all_inner_texts()) == references
    _shot(page, folder, "1-queue-searched")

    # both chosen and claimed at once
    for reference in references:
        page.check(f"input[name=tasks][aria-label='{reference}']")
    page.click("button[form=bulk-form][value=claim]")
    page.locator(".zy-badge.ok").first.wait_for()
    assert page.locator(".zy-badge.ok").count() == 2
    routes = TaskRoute.objects.filter(reference__in=references, node="intake").select_related("owner")
    assert {r.owner.username for r in routes} == {"base_staff"}
    _shot(page, folder, "2-bulk-claimed")

    # open one and return it for supplements: the message says where the case went
    first, other = green.reference, neighbour.reference
    with page.expect_navigation():
        page.click(f"table.zy-table a:text-is('{first}')")
    page.locator(".incubation-summary").wait_for()
    page.locator("button[value=release]").wait_for()  # already held: the staff member decides at once
    page.fill("#id_reason", REASON)
    page.click("#decision-form button[value=return]")
    page.wait_for_url("**/workbench/tasks/queue/**")
    said = page.locator("li.success", has_text=first)
    said.wait_for()
    assert "案件现为：已退回" in said.inner_text()
    _shot(page, folder, "3-decided")
    assert IncubationApplication.objects.get(reference=first).status == Status.RETURNED
    assert IncubationApplication.objects.get(reference=other).status == Status.INTAKE_CHECK

    # the organization's portal: the unread count, the notification, marked read, its link
    page.context.clear_cookies()
    login(page, live_server, "org_green", demo_data["password"])
    page.goto(f"{live_server.url}/portal/")
    unread = Notification.objects.filter(user__username="org_green", read_at=None).count()
    assert unread >= 1
    assert page.locator(".zn-bell .zn-unread").inner_text().strip() == str(unread)
    with page.expect_navigation():
        page.click(".zn-bell")
    item = page.locator("li.zn-item.unread", has_text=first)
    item.wait_for()
    assert "已退回" in item.inner_text() or REASON in item.inner_text()
    _shot(page, folder, "4-notifications")
    with page.expect_navigation():
        item.locator("button[type=submit]").click()
    assert page.locator("li.zn-item.unread", has_text=first).count() == 0
    assert page.locator(".zn-bell .zn-unread").count() == (1 if unread > 1 else 0)
    if unread > 1:
        assert page.locator(".zn-bell .zn-unread").inner_text().strip() == str(unread - 1)
    assert not Notification.objects.filter(user__username="org_green", reference=first, read_at=None).exists()
    with page.expect_navigation():
        page.locator("li.zn-item", has_text=first).locator("a").first.click()
    assert page.url.endswith("/portal/incubation/")
    row = page.locator(f"tr.incubation-application[data-reference='{first}']")
    assert "已退回" in row.inner_text()
    assert REASON in row.locator(".return-reason").inner_text()
    _shot(page, folder, "5-case-in-portal")
