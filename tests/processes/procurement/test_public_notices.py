"""Public tender notices (P10): the list and the notice page without login, search, filters,
sorting and pages, nothing sealed before the deadline (P4), asking on the page inside and outside
the enquiry period, the department's enquiries in the workbench, and fixed query counts."""
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engine.cases.actions import task_complete
from engine.directory.models import Department
from processes.procurement import public, services
from processes.procurement.models import BudgetLine, CatalogueItem, Enquiry, Tender
from tests.factories import member

from .conftest import Driver, route

pytestmark = pytest.mark.django_db
LIST = "/procurement/tenders/"
SECRET = "87654.32"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def notice_url(tender):
    return f"{LIST}{tender.reference}/"


def published(people, budget, name, amount="100000.00"):
    drive = Driver(people, budget)
    drive.create(amount=amount)
    Tender.objects.filter(pk=drive.tender.pk).update(name=name)  # setup only: the drafts differ by name
    drive.tender.name = name
    return drive.publish()


def district_notice(people):
    """A tender of 金水区民政局 for another service category, published by its district's finance."""
    department = Department.objects.get(code="mca-jinshui")
    staff = member("mca-jinshui", "staff", username="js_staff")
    item = CatalogueItem.objects.create(code="B02", name="助老志愿服务", category="养老助残", service_standard="每周2次",
                                        unit="项", year=2026, published=True)
    line = BudgetLine.objects.create(department=department, year=2026, item=item, amount=Decimal("300000.00"))
    now = timezone.now()
    tender = services.tender_create(actor=staff, department=department, name="金水区助老项目", catalogue_item=item,
                                    budget_line=line, method="open", amount="50000.00", enquiry_end=now + timedelta(days=10),
                                    tender_end=now + timedelta(days=25), experts=people["experts"])
    task_complete(actor=staff, task_id=route(tender, "prepare").pk, decision="submit")
    task_complete(actor=people["fin_jinshui"], task_id=route(tender, "precheck").pk, decision="approve")
    return Tender.objects.get(pk=tender.pk)


def rows(client, query=""):
    html = client.get(f"{LIST}?{query}").content.decode()
    return [chunk.split('"', 1)[0] for chunk in html.split('class="notice" data-reference="')[1:]]


def test_the_list_and_a_notice_are_public_and_drafts_are_not(client, drive, people, budget):
    tender = drive.publish()
    draft = Driver(people, budget).create()
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "招标公告" in html and tender.reference in html and draft.reference not in html
    page = client.get(notice_url(tender))
    assert page.status_code == 200
    html = page.content.decode()
    for shown in (tender.name, "市民政局", "¥100,000.00", "社区志愿服务", "答疑期", "OCDS"):
        assert shown in html, shown
    # dates in Asia/Shanghai
    assert f"{timezone.localtime(tender.tender_end):%H:%M}" in html or "下午" in html or "上午" in html
    assert client.get(notice_url(draft)).status_code == 404


def test_the_notice_reads_in_english_when_chosen(client, drive):
    tender = drive.publish()
    client.cookies["django_language"] = "en"
    html = client.get(notice_url(tender)).content.decode()
    assert "Price ceiling" in html and "Enquiry period" in html and "¥100,000.00" in html


def test_search_filters_sorting_and_pages(client, people, budget, monkeypatch):
    cheap = published(people, budget, "邻里守望服务", amount="30000.00")
    dear = published(people, budget, "应急队伍建设", amount="90000.00")
    other = district_notice(people)
    assert set(rows(client)) == {cheap.reference, dear.reference, other.reference}
    assert rows(client, "q=邻里") == [cheap.reference]
    assert rows(client, f"q={dear.reference}") == [dear.reference]
    assert rows(client, "q=金水区民政局") == [other.reference]
    assert rows(client, "department=mca") == [dear.reference, cheap.reference]  # newest first
    assert rows(client, "district=jinshui") == [other.reference]
    assert rows(client, "category=养老助残") == [other.reference]
    assert rows(client, "sort=amount") == [cheap.reference, other.reference, dear.reference]
    assert rows(client, "sort=-amount") == [dear.reference, other.reference, cheap.reference]
    assert rows(client, "phase=enquiry") == rows(client)
    assert rows(client, "phase=awarded") == [] and rows(client, "phase=closed") == []
    assert "没有符合" in client.get(f"{LIST}?phase=awarded").content.decode()
    html = client.get(LIST).content.decode()
    assert "金水区" in html and "养老助残" in html  # the filters offer what published tenders have
    monkeypatch.setattr(public, "PAGE_SIZE", 2)
    first, second = rows(client, "sort=amount"), rows(client, "sort=amount&page=2")
    assert first == [cheap.reference, other.reference] and second == [dear.reference]
    assert "?sort=amount&page=2" in client.get(f"{LIST}?sort=amount").content.decode()


def test_nothing_sealed_appears_before_the_deadline(client, drive, people):
    """P4: neither bidders, prices nor their number until the deadline; the award once public."""
    tender = drive.open_bidding()
    with drive.at(tender.enquiry_end + timedelta(hours=1)):
        services.bid_submit(actor=people["org_users"][0], tender_id=tender.pk, organization_id=people["orgs"][0].pk,
                            price=SECRET, content="方案")
    for viewer in (None, people["org_users"][1], people["org_users"][0]):
        client.logout()
        if viewer:
            client.force_login(viewer)
        for url in (LIST, notice_url(tender)):
            html = client.get(url).content.decode()
            assert "87,654.32" not in html and SECRET not in html and people["orgs"][0].name not in html
    assert "投标中" in client.get(notice_url(tender)).content.decode()

    drive.tender = None
    awarded = drive.standstill()
    html = client.get(notice_url(awarded)).content.decode()
    winner = awarded.awarded_bid
    assert 'id="notice-award"' in html and winner.organization.name in html
    assert f"{winner.price:,.2f}" in html
    losers = awarded.bids.exclude(pk=winner.pk).select_related("organization")
    assert all(f"{b.price:,.2f}" not in html and b.organization.name not in html for b in losers)
    assert awarded.reference in rows(client, "phase=awarded")


def test_an_organization_asks_on_the_page_and_the_answer_is_published_without_its_name(client, drive, people):
    tender = drive.publish()
    anonymous = client.get(notice_url(tender)).content.decode()
    assert "登录后提问" in anonymous and 'id="ask-form"' not in anonymous
    r = client.post(notice_url(tender), {"organization": people["orgs"][0].pk, "title": "t", "question": "q"})
    assert r.status_code == 302 and "/accounts/login/" in r["Location"] and not Enquiry.objects.exists()

    client.force_login(people["org_users"][0])
    assert 'id="ask-form"' in client.get(notice_url(tender)).content.decode()
    r = client.post(notice_url(tender), {"organization": people["orgs"][0].pk, "title": "服务人数", "question": "有多少人？"},
                    follow=True)
    html = r.content.decode()
    assert r.status_code == 200 and "已提交" in html and "有多少人？" in html  # its own, awaiting the answer
    enquiry = Enquiry.objects.get()
    refused = client.post(notice_url(tender), {"organization": people["orgs"][0].pk, "title": "", "question": "保留的问题"})
    assert refused.status_code == 200 and "保留的问题" in refused.content.decode()  # what was typed stays
    assert Enquiry.objects.count() == 1

    client.force_login(people["org_users"][1])
    assert "有多少人？" not in client.get(notice_url(tender)).content.decode()  # not answered: not public

    services.enquiry_answer(actor=people["staff"], enquiry_id=enquiry.pk, answer="约一百二十人。")
    client.logout()
    html = client.get(notice_url(tender)).content.decode()
    assert f'id="enquiry-{enquiry.pk}"' in html and "有多少人？" in html and "约一百二十人。" in html
    assert people["orgs"][0].name not in html and people["org_users"][0].display_name not in html


def test_asking_after_the_enquiry_period_is_refused_with_a_message(client, drive, people):
    tender = drive.publish()
    client.force_login(people["org_users"][0])
    with time_machine.travel(tender.enquiry_end + timedelta(minutes=1), tick=False):
        html = client.get(notice_url(tender)).content.decode()
        assert 'id="asking-closed"' in html and 'id="ask-form"' not in html
        r = client.post(notice_url(tender), {"organization": people["orgs"][0].pk, "title": "晚了", "question": "q"})
    assert r.status_code == 200 and "答疑期已结束" in r.content.decode()
    assert not Enquiry.objects.exists()


def test_the_page_rate_limits_asking(client, drive, people, settings):
    settings.PROCUREMENT_ENQUIRY_RATE = "1/hour"
    tender = drive.publish()
    client.force_login(people["org_users"][0])
    body = {"organization": people["orgs"][0].pk, "title": "t", "question": "q"}
    client.post(notice_url(tender), body)
    r = client.post(notice_url(tender), body)
    assert "过于频繁" in r.content.decode() and Enquiry.objects.count() == 1


def test_members_of_unregistered_organizations_are_told_why_they_cannot_ask(client, drive, people):
    tender = drive.publish()
    people["orgs"][0].registered = False
    people["orgs"][0].save()
    client.force_login(people["org_users"][0])
    html = client.get(notice_url(tender)).content.decode()
    assert 'id="cannot-ask"' in html and 'id="ask-form"' not in html
    client.force_login(people["staff"])
    assert 'id="cannot-ask"' in client.get(notice_url(tender)).content.decode()


def test_department_answers_from_its_enquiry_list_and_the_tender_file(client, drive, people):
    tender = drive.publish()
    first = services.enquiry_ask(actor=people["org_users"][0], tender_id=tender.pk, organization_id=people["orgs"][0].pk,
                                 title="服务人数", question="有多少人？")
    second = services.enquiry_ask(actor=people["org_users"][1], tender_id=tender.pk, organization_id=people["orgs"][1].pk,
                                  title="场地", question="场地谁提供？")
    client.force_login(people["staff"])
    html = client.get("/workbench/procurement/enquiries/").content.decode()
    assert 'id="enquiry-counts"' in html and "2 个待答复" in html
    assert people["orgs"][0].name in html and "服务人数" in html  # the department sees who asked
    assert "/workbench/procurement/enquiries/" in client.get("/workbench/procurement/").content.decode()  # menu link
    r = client.post("/workbench/procurement/enquiries/", {"enquiry": first.pk, "answer": "约120人。"}, follow=True)
    assert "已公开" in r.content.decode() and Enquiry.objects.get(pk=first.pk).is_answered
    assert "1 个待答复" in client.get("/workbench/procurement/enquiries/?state=unanswered").content.decode()
    assert "场地" not in client.get("/workbench/procurement/enquiries/?state=answered").content.decode()
    assert "场地" in client.get("/workbench/procurement/enquiries/?q=场地").content.decode()

    detail = client.get(tender.get_absolute_url()).content.decode()
    assert 'id="enquiries"' in detail and notice_url(tender) in detail and 'name="answer"' in detail
    r = client.post(tender.get_absolute_url(), {"action": "answer_enquiry", "enquiry": second.pk, "answer": "采购单位提供。"},
                    follow=True)
    assert Enquiry.objects.get(pk=second.pk).answer == "采购单位提供。"

    client.force_login(people["fin"])  # finance sees the tender but answers nothing
    third = services.enquiry_ask(actor=people["org_users"][2], tender_id=tender.pk, organization_id=people["orgs"][2].pk,
                                 title="合同", question="合同期多长？")
    r = client.post(tender.get_absolute_url(), {"action": "answer_enquiry", "enquiry": third.pk, "answer": "一年"}, follow=True)
    assert r.status_code == 200 and not Enquiry.objects.get(pk=third.pk).is_answered
    assert "合同期多长？" not in client.get("/workbench/procurement/enquiries/").content.decode()


def test_links_to_the_notices_from_the_portal_and_public_pages(client, drive, people):
    drive.open_bidding()
    client.force_login(people["org_users"][0])
    html = client.get("/portal/procurement/").content.decode()
    assert 'id="procurement-notices-link"' in html and f'href="{LIST}"' in html
    client.logout()
    assert f'href="{LIST}"' in client.get("/certification/verify/").content.decode()


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_list_and_notice_cost_a_fixed_number_of_queries(client, people, budget):
    tender = published(people, budget, "第一个项目")
    for i in range(2):
        services.enquiry_ask(actor=people["org_users"][i], tender_id=tender.pk, organization_id=people["orgs"][i].pk,
                             title=f"问题{i}", question="q")
    services.enquiry_answer(actor=people["staff"], enquiry_id=Enquiry.objects.first().pk, answer="a")
    _count(client, LIST)  # warm caches
    small = {"list": _count(client, LIST), "notice": _count(client, notice_url(tender))}
    client.force_login(people["org_users"][0])
    _count(client, notice_url(tender))  # warm the signed-in reader's cached counts
    small_user = _count(client, notice_url(tender))
    client.logout()
    for n in range(3):
        published(people, budget, f"更多项目{n}")
    for i in range(2, 4):
        services.enquiry_ask(actor=people["org_users"][i], tender_id=tender.pk, organization_id=people["orgs"][i].pk,
                             title=f"问题{i}", question="q")
    for enquiry in Enquiry.objects.filter(answered_at__isnull=True):
        services.enquiry_answer(actor=people["staff"], enquiry_id=enquiry.pk, answer="a")
    large = {"list": _count(client, LIST), "notice": _count(client, notice_url(tender))}
    client.force_login(people["org_users"][0])
    _count(client, notice_url(tender))
    assert _count(client, notice_url(tender)) == small_user <= 12
    assert small == large and large["list"] <= 8 and large["notice"] <= 6, large


def test_workbench_enquiry_list_costs_a_fixed_number_of_queries(client, drive, people):
    tender = drive.publish()
    client.force_login(people["staff"])
    url = "/workbench/procurement/enquiries/"
    services.enquiry_ask(actor=people["org_users"][0], tender_id=tender.pk, organization_id=people["orgs"][0].pk,
                         title="一", question="q")
    _count(client, url)
    small = _count(client, url)
    for i in range(1, 4):
        services.enquiry_ask(actor=people["org_users"][i], tender_id=tender.pk, organization_id=people["orgs"][i].pk,
                             title=f"问题{i}", question="q")
    services.enquiry_answer(actor=people["staff"], enquiry_id=Enquiry.objects.last().pk, answer="a")
    assert _count(client, url) == small
