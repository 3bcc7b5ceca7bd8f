"""In a real browser on a 390 px phone, the volunteer's whole chain (issue #15): an organization
publishes an emergency recruitment, the volunteer answers the call from the portal, the
organization selects them, the volunteer signs in and out at the activity (R12), the record is
approved and credited to the time account (T3, T4), the volunteer redeems a service for hours
and the provider confirms it (T6). Every page on the way fits the phone's width; screenshots
are kept in ``shots`` (tests/e2e/conftest.py)."""
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from engine.directory.models import Organization
from processes.certification.models import ServiceRecord
from processes.certification.services.registry import activity_create, record_approve, volunteer_register
from processes.recruitment.models import Recruitment, SignUp
from processes.recruitment.services.recruitments import recruitment_publish
from processes.timebank.models import Redemption
from processes.timebank.services.exchange import service_publish
from tests.processes.certification.conftest import id_number

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


class Phone:
    """The browser page with, after every step, a screenshot, a width check and every link followed."""

    def __init__(self, page, live_server, password, shots):
        self.page, self.server, self.url, self.password = page, live_server, live_server.url, password
        self.shots, self.n = shots, 0
        self.seen = set()

    def login(self, username):
        self.page.context.clear_cookies()
        self.seen = set()  # links are followed again for each user: what works depends on who looks
        login(self.page, self.server, username, self.password)

    def goto(self, path):
        self.page.goto(f"{self.url}{path}")
        return self.check(path.strip("/").replace("/", "-") or "home")

    def submit(self, button, name):
        with self.page.expect_navigation():
            button.click()
        return self.check(name)

    def check(self, name):
        """A screenshot; no sideways scroll at 390 px; no dead link; the visible text of the page."""
        self.n += 1
        self.page.screenshot(path=str(self.shots / f"{self.n:02d}-{name}.png"), full_page=True)
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{self.page.url}: {width} px wide on a {PHONE['width']} px phone"
        self.links_work()
        return self.page.locator("body").inner_text()

    def links_work(self):
        """Every link on the page to this site answers, for the user who sees it (logging out aside)."""
        for href in self.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            href = href.split("#")[0]
            if not href.startswith(self.url) or "logout" in href or href in self.seen:
                continue
            self.seen.add(href)
            status = self.page.request.get(href).status
            assert status < 400, f"{self.page.url}: the link {href} answers {status}"


@pytest.fixture
def chain(demo_data):
    """vol_li registered as a volunteer; 阳光志愿者协会 runs a three-hour activity starting in an
    hour; 绿城青年志愿服务中心 offers a two-hour service in the time bank."""
    User = get_user_model()
    li, manager, provider = (User.objects.get(username=n) for n in ("vol_li", "org_sunshine", "org_green"))
    volunteer_register(actor=li, user=li, real_name="李小萌", id_number=id_number(31))
    start = (timezone.now() + timedelta(hours=1)).replace(second=0, microsecond=0)
    activity = activity_create(actor=manager, organization=Organization.objects.get(members=manager),
                               name="防汛沙袋转运", place="金水区北三环", start_at=start,
                               end_at=start + timedelta(hours=3), person_in_charge="钱多多")
    service = service_publish(actor=provider, provider_id=Organization.objects.get(members=provider).pk,
                              title="上门理发", hours="2", description="为老人上门理发一次")
    return {"manager": manager, "activity": activity, "service": service}


def test_emergency_call_to_hours_redeemed_on_a_phone(browser_page, live_server, demo_data, chain, shots):
    page = browser_page
    page.set_viewport_size(PHONE)
    phone = Phone(page, live_server, demo_data["password"], shots)
    activity, service = chain["activity"], chain["service"]

    # the volunteer agrees to emergency calls on the portal's recruitment page
    phone.login("vol_li")
    phone.goto("/portal/recruitment/")
    text = phone.submit(page.locator("#rc-profile button[type=submit]"), "profile-saved")
    assert "已保存" in text

    # the organization publishes an emergency recruitment: the call reaches the volunteer
    recruitment = recruitment_publish(
        actor=chain["manager"], activity=activity, title="应急招募：防汛沙袋转运", place="金水区北三环",
        kind=Recruitment.Kind.EMERGENCY,
        slots=[{"start_at": activity.start_at, "end_at": activity.end_at, "places": 5}])
    text = phone.goto("/portal/recruitment/")
    call = page.locator(f"#rc-calls [data-call='{recruitment.pk}']")
    assert "应急招募：防汛沙袋转运" in call.inner_text()
    with page.expect_navigation():
        call.locator("a").click()
    text = phone.check("call")
    assert "应急招募：防汛沙袋转运" in text and "金水区北三环" in text
    text = phone.submit(page.locator("#rc-answer-yes"), "answered")
    assert "报名成功" in text and page.locator(".messages li").count() == 1
    signup = SignUp.objects.get(slot__recruitment=recruitment)
    assert signup.status == SignUp.Status.APPLIED and signup.source == SignUp.Source.EMERGENCY

    # the organization selects the volunteer on the recruitment's page
    phone.login("org_sunshine")
    text = phone.goto(f"/recruitment/{recruitment.pk}/")
    assert "李小萌" in page.locator("#rc-signups").inner_text()
    assert page.locator("#rc-coming").inner_text() == "1"
    row = page.locator(f"#rc-signups [data-signup='{signup.pk}']")
    text = phone.submit(row.locator("form[action$='/select/'] button"), "selected")
    assert page.locator(".messages li").count() == 1 and "已通知该志愿者" in text
    assert page.locator(f"#rc-signups [data-signup='{signup.pk}'] .badge").inner_text() == "已入选"
    assert SignUp.objects.get(pk=signup.pk).status == SignUp.Status.SELECTED

    # the volunteer signs in a minute before the start and out a minute after the end (R12)
    phone.login("vol_li")
    with time_machine.travel(activity.start_at - timedelta(minutes=1), tick=True):
        text = phone.goto(f"/recruitment/{recruitment.pk}/")
        assert "已入选" in page.locator("#rc-mine").inner_text()
        with page.expect_navigation():
            page.locator("#rc-mine a", has_text="到活动签到").click()
        phone.check("signin-page")
        row = page.locator(f"#cert-signin tr[data-activity='{activity.pk}']")
        text = phone.submit(row.locator("button"), "signed-in")
        assert "防汛沙袋转运" in text and "签到" in text
    with time_machine.travel(activity.end_at + timedelta(minutes=1), tick=True):
        phone.goto("/portal/certification/")
        row = page.locator(f"#cert-signin tr[data-activity='{activity.pk}']")
        text = phone.submit(row.locator("button"), "signed-out")
        assert "3.00" in text
        record = ServiceRecord.objects.get(activity=activity)
        record_approve(actor=chain["manager"], record_id=record.pk)  # credited once the approval commits

        # the hours are in the time account; the volunteer redeems a service for two of them
        text = phone.goto("/portal/timebank/")
        assert page.locator("#tb-balance").inner_text() == "3.00"
        assert "防汛沙袋转运" in page.locator("#tb-statement").inner_text()
        offer = page.locator(f"#tb-redeem tr[data-service='{service.pk}']")
        assert "上门理发" in offer.inner_text()
        text = phone.submit(offer.locator("button"), "redeemed")
        redemption = Redemption.objects.get()
        assert redemption.reference in text
        assert page.locator("#tb-balance").inner_text() == "1.00"
        assert page.locator("#tb-held").inner_text() == "2.00"

        # the provider confirms delivery on its portal page
        phone.login("org_green")
        phone.goto("/portal/timebank/")
        row = page.locator(f"#tb-queue tr[data-reference='{redemption.reference}']")
        assert "李小萌" in row.inner_text()
        text = phone.submit(row.locator("button", has_text="确认已提供服务"), "confirmed")
        assert redemption.reference not in page.locator("#tb-queue").inner_text()
        assert Redemption.objects.get().status == Redemption.Status.DELIVERED
        answered = page.locator("#tb-answered").inner_text()  # on the phone each cell carries its column's title
        assert redemption.reference in answered and "已提供" in answered
        assert page.locator("#tb-answered td").nth(2).get_attribute("data-label") == "志愿者"

        # the volunteer sees the new balance and the redemption closed
        phone.login("vol_li")
        phone.goto("/portal/timebank/")
        assert page.locator("#tb-balance").inner_text() == "1.00"
        assert page.locator("#tb-held").inner_text() == "0.00"
        mine = page.locator("#tb-my-redemptions").inner_text()
        assert redemption.reference in mine and "上门理发" in mine
