"""The notification centre in the workbench and the portal: filters, marking read by POST,
the unread count in the header, links the reader can open, preferences, a fixed query count."""
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from engine.notifications.models import Notification, Preferences
from engine.notifications.services import notify
from tests.factories import OrganizationFactory, UserFactory, member, org_user

pytestmark = pytest.mark.django_db

WORKBENCH, PORTAL = "/workbench/tasks/notifications/", "/portal/notifications/"


@pytest.fixture
def staff():
    return member("fin", "reviewer", username="n_fin")


@pytest.fixture
def org_member():
    return org_user(OrganizationFactory(), username="n_org")


def test_filters_unread_and_kind(client, staff):
    notify([staff], title="待办逾期一", kind="task.overdue")
    notify([staff], title="项目已取消", kind="procurement")
    Notification.objects.filter(title="项目已取消").update(read_at="2026-12-01T08:00:00+08:00")
    notify([staff], title="其他通知", kind="")
    client.force_login(staff)
    page = client.get(WORKBENCH).content.decode()
    assert all(t in page for t in ("待办逾期一", "项目已取消", "其他通知"))
    unread = client.get(WORKBENCH, {"show": "unread"}).content.decode()
    assert "待办逾期一" in unread and "项目已取消" not in unread
    procurement = client.get(WORKBENCH, {"kind": "procurement"}).content.decode()
    assert "项目已取消" in procurement and "待办逾期一" not in procurement
    other = client.get(WORKBENCH, {"kind": "other"}).content.decode()
    assert "其他通知" in other and "项目已取消" not in other


def test_mark_one_and_all_read_by_post_with_csrf(staff):
    mine = notify([staff], title="待办逾期", kind="task.overdue") + notify([staff], title="第二条", kind="task.overdue")
    (theirs,) = notify([UserFactory()], title="别人的", kind="task.overdue")
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    page = client.get(WORKBENCH)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    assert client.post(f"{WORKBENCH}read/", {"id": mine[0].pk}).status_code == 403  # no token
    response = client.post(f"{WORKBENCH}read/", {"id": [mine[0].pk, theirs.pk], "csrfmiddlewaretoken": token,
                                                  "next": f"{WORKBENCH}?show=unread"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{WORKBENCH}?show=unread"
    assert "已将 1 条通知标为已读" in response.content.decode()
    assert Notification.objects.filter(read_at__isnull=True).count() == 2  # the other one and someone else's
    client.post(f"{WORKBENCH}read/", {"all": "1", "csrfmiddlewaretoken": token, "next": "https://evil.example/"})
    assert list(Notification.objects.filter(read_at__isnull=True)) == [theirs]
    assert client.get(WORKBENCH).status_code == 200


def test_unread_count_in_both_headers(client, staff, org_member):
    notify([staff], title="待办逾期", kind="task.overdue")
    notify([org_member], title="投标即将截止", kind="reminder.bidding")
    notify([org_member], title="项目已取消", kind="procurement")
    client.force_login(staff)
    assert re.search(r'class="zn-unread"[^>]*>1<', client.get("/workbench/tasks/inbox/").content.decode())
    client.force_login(org_member)
    portal = client.get("/portal/").content.decode()
    assert re.search(r'class="zn-unread"[^>]*>2<', portal)
    client.post(f"{PORTAL}read/", {"all": "1"})
    assert 'class="zn-unread"' not in client.get("/portal/").content.decode()  # the cached count was dropped


def test_portal_centre_links_work_for_the_organization(client, org_member):
    notify([org_member], title="投标即将截止", kind="reminder.bidding", reference="ZB-2026-000001")
    notify([org_member], title="证明已出具", kind="certification.issued", link="/portal/#cert-volunteer")
    client.force_login(org_member)
    page = client.get(PORTAL).content.decode()
    links = set(re.findall(r'href="([^"#]+)(?:#[^"]*)?"', page))
    assert "/portal/" in links and "/workbench/" not in "".join(links)
    for link in {link for link in links if not link.startswith("/static/")} - {"/accounts/login/"}:
        assert client.get(link).status_code == 200, link
    assert client.get(WORKBENCH).status_code == 403


def test_staff_links_lead_to_the_case_in_the_workbench(client, staff):
    notify([staff], title="项目已取消", kind="procurement", reference="ZB-2026-000042")
    notify([staff], title="志愿者登记", kind="certification.record", reference="V-000123")  # not a case
    client.force_login(staff)
    page = client.get(WORKBENCH).content.decode()
    assert 'href="/workbench/tasks/case/ZB-2026-000042/"' in page
    assert "/workbench/tasks/case/V-000123/" not in page


@pytest.mark.parametrize("url", [WORKBENCH, PORTAL])
def test_centre_query_count_does_not_grow(client, staff, url):
    client.force_login(staff)

    def queries(n):
        Notification.objects.filter(user=staff).delete()
        for i in range(n):
            notify([staff], title=f"通知{i}", kind="procurement", reference=f"ZB-2026-{i:06d}")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"kind": "procurement"}).status_code == 200
        return len(captured.captured_queries)

    small, large = queries(2), queries(30)
    assert small == large <= 12


@pytest.mark.parametrize("base", ["/workbench/tasks/notifications/preferences/", "/portal/notifications/preferences/"])
def test_preferences_page_saves_the_choice(client, base):
    user = member("fin", "reviewer", username="n_pref", email="p@example.cn", phone="13800000004")
    client.force_login(user)
    page = client.get(base).content.decode()
    assert 'value="reminder:sms" aria-label="我的截止期限提醒" checked' in page
    assert 'value="procurement:sms" aria-label="政府购买服务">' in page
    response = client.post(base, {"channel": ["procurement:sms", "task:email", "bogus:email"]}, follow=True)
    assert "通知偏好已保存" in response.content.decode()
    channels = Preferences.objects.get(user=user).channels
    assert channels["procurement"] == ["sms"] and channels["task"] == ["email"] and channels["reminder"] == []
    assert 'value="procurement:sms" aria-label="政府购买服务" checked' in client.get(base).content.decode()


def test_the_api_filters_by_kind_and_marks_all_read(staff):
    notify([staff], title="待办逾期", kind="task.overdue")
    notify([staff], title="项目已取消", kind="procurement")
    api = APIClient()
    api.force_authenticate(staff)
    items = api.get("/api/v1/notifications/", {"kind": "procurement"}).json()["results"]
    assert [(n["title"], n["kind_label"]) for n in items] == [("项目已取消", "政府购买服务")]
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    assert api.get("/api/v1/notifications/", {"unread": "1"}).json()["count"] == 0
