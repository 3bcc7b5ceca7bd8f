"""Portal section, bid form and workbench pages; sealed bids on every page (P4)."""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engine.cases.models import TaskRoute
from engine.formatting import money
from processes.procurement import services
from processes.procurement.models import Bid, CatalogueItem, Complaint, Payment

pytestmark = pytest.mark.django_db
SECRET = "87654.32"
SHOWN = "87,654.32"  # as pages show it: ¥87,654.32


def test_portal_shows_open_tenders_and_the_bid_form_submits(client, drive, people):
    tender = drive.open_bidding()
    client.force_login(people["org_users"][0])
    html = client.get("/portal/procurement/").content.decode()
    assert "政府购买服务" in html and tender.reference in html and "投标" in html
    with drive.at(tender.enquiry_end + timedelta(hours=1)):
        r = client.post(f"/procurement/tenders/{tender.reference}/bid/",
                        {"organization": people["orgs"][0].pk, "price": SECRET, "content": "方案"}, follow=True)
        assert r.status_code == 200
        html = r.content.decode()
        assert "已提交（密封至投标截止）" in html and SHOWN in html  # its own bid
        r = client.post(f"/procurement/tenders/{tender.reference}/bid/",
                        {"organization": people["orgs"][0].pk, "price": "99999999", "content": "方案"}, follow=True)
        assert "报价不得超过最高限价" in r.content.decode()
    assert str(Bid.objects.get().price) == SECRET


def test_portal_section_absent_for_people_without_an_organization(client, people):
    client.force_login(people["staff"])
    assert 'id="procurement"' not in client.get("/portal/procurement/").content.decode()


def test_ineligible_organization_is_told_and_cannot_open_the_form_to_bid(client, drive, people):
    tender = drive.open_bidding()
    people["orgs"][0].fiscal_funded = True
    people["orgs"][0].save()
    client.force_login(people["org_users"][0])
    assert "不符合承接主体条件" in client.get("/portal/procurement/").content.decode()
    with drive.at(tender.enquiry_end + timedelta(hours=1)):
        client.post(f"/procurement/tenders/{tender.reference}/bid/",
                        {"organization": people["orgs"][0].pk, "price": "1.00", "content": "x"}, follow=True)
    assert not Bid.objects.exists()


def test_workbench_pages_keep_bids_sealed_and_list_within_budget(client, drive, people, django_assert_max_num_queries):
    tender = drive.open_bidding()
    drive.bid(0, SECRET)
    for user in (people["staff"], people["head"], people["fin"]):
        client.force_login(user)
        with django_assert_max_num_queries(25):
            r = client.get("/workbench/procurement/")
        assert r.status_code == 200 and tender.reference in r.content.decode()
        assert "No viewsets" not in r.content.decode() and "指导性目录与预算" in r.content.decode()  # Chinese menu
        html = client.get(f"/workbench/procurement/{tender.reference}/").content.decode()
        assert "投标截止前不公开投标人及投标数量" in html and SECRET not in html and SHOWN not in html and "方案0" not in html
        assert people["orgs"][0].name not in html and "投标（" not in html
        html = client.get(f"/workbench/tasks/case/{tender.reference}/").content.decode()
        assert SECRET not in html and SHOWN not in html and people["orgs"][0].name not in html and people["org_users"][0].display_name not in html
    client.force_login(people["org_users"][0])
    assert client.get(f"/workbench/procurement/{tender.reference}/").status_code in (302, 403, 404)


def test_workbench_detail_actions_for_department_and_finance(client, drive, people):
    tender = drive.delivery()
    url = f"/workbench/procurement/{tender.reference}/"
    client.force_login(people["staff"])
    html = client.get(url).content.decode()
    # each form only for whom its service accepts: staff plan milestones, reviewers evaluate
    assert "添加节点" in html and "提交绩效评价" not in html
    client.force_login(people["reviewer"])
    html = client.get(url).content.decode()
    assert "提交绩效评价" in html and "添加节点" not in html
    client.force_login(people["staff"])
    client.post(url, {"action": "milestone", "name": "一期", "due_date": "2026-12-31", "amount": "10000.00"})
    m = tender.contract.milestones.get()
    client.post(url, {"action": "accept", "milestone": m.pk})

    services.payment_request(actor=people["org_users"][1], milestone_id=m.pk, amount="10000.00")
    r = client.post(url, {"action": "pay", "payment": Payment.objects.get().pk}, follow=True)
    assert "只有财政局审核人" in r.content.decode()
    client.force_login(people["fin"])
    html = client.get(url).content.decode()
    assert "批准付款" in html
    client.post(url, {"action": "pay", "payment": Payment.objects.get().pk})
    assert Payment.objects.get().status == "approved"
    client.force_login(people["reviewer"])
    client.post(url, {"action": "evaluate", "score": "90", "comment": "良好"})
    tender.refresh_from_db()
    assert tender.status == "completed"


def test_budget_page_imports_and_publishes_for_finance_only(client, people, budget):
    item, _ = budget
    client.force_login(people["staff"])
    html = client.get("/workbench/procurement/budget/lines/").content.decode()
    assert "¥500,000.00" in html and "导入目录" not in html
    client.post("/workbench/procurement/budget/lines/", {"action": "publish", "item": item.pk, "published": "0"})
    assert CatalogueItem.objects.get(pk=item.pk).published is True
    client.force_login(people["fin"])
    client.post("/workbench/procurement/budget/lines/", {"action": "publish", "item": item.pk, "published": "0"})
    assert CatalogueItem.objects.get(pk=item.pk).published is False
    csv = "目录编码,服务名称,服务类别,服务标准,计量单位,年度,已发布\nC01,助学服务,教育,每周一次,次,2026,是\n"
    r = client.post("/workbench/procurement/budget/lines/", {
        "action": "import_catalogue", "file": SimpleUploadedFile("c.csv", csv.encode())}, follow=True)
    assert "已导入 1 行" in r.content.decode()
    r = client.post("/workbench/procurement/budget/lines/", {
        "action": "import_catalogue", "file": SimpleUploadedFile("c.csv", csv.encode())}, follow=True)
    assert "第2行" in r.content.decode() and CatalogueItem.objects.filter(code="C01").count() == 1


def test_budget_page_answers_a_bad_item_with_a_message_not_a_500(client, people, budget):
    client.force_login(people["fin"])
    for item in ("abc", "", "999999"):
        r = client.post("/workbench/procurement/budget/lines/", {"action": "publish", "item": item, "published": "1"}, follow=True)
        assert r.status_code == 200 and "目录项不存在" in r.content.decode(), item


def test_bid_form_shows_the_live_bid_keeps_typed_input_and_withdraws(client, drive, people):
    tender = drive.open_bidding()
    url = f"/procurement/tenders/{tender.reference}/bid/"
    org = people["orgs"][0]
    with drive.at(tender.enquiry_end + timedelta(hours=1)):
        client.force_login(people["org_users"][0])
        r = client.post(url, {"organization": org.pk, "price": "12.345", "content": "我们的服务方案"})
        html = r.content.decode()
        assert r.status_code == 200 and "金额须为正数" in html
        assert 'value="12.345"' in html and "我们的服务方案</textarea>" in html  # nothing typed is lost
        client.post(url, {"organization": org.pk, "price": "90000.00", "content": "我们的服务方案"})
        html = client.get(url).content.decode()
        assert "已提交的投标" in html and "¥90,000.00" in html and "撤回投标" in html
        r = client.post(url, {"action": "withdraw", "organization": org.pk}, follow=True)
        assert "投标已撤回" in r.content.decode()
    bid = Bid.objects.get()
    assert bid.withdrawn_at is not None
    with drive.at(tender.enquiry_end + timedelta(hours=2)):
        client.force_login(people["org_users"][1])  # cannot withdraw another organization's bid
        r = client.post(url, {"action": "withdraw", "organization": org.pk}, follow=True)
        assert "请选择投标组织" in r.content.decode()


def test_tender_list_and_portal_cost_the_same_for_more_tenders(client, drive, people, django_assert_max_num_queries):
    def count(user, url):
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    tender = drive.open_bidding()
    drive.bid(0, "90000.00")
    later = tender.enquiry_end + timedelta(hours=2)
    with drive.at(later):
        before = {"list": count(people["head"], "/workbench/procurement/"), "portal": count(people["org_users"][0], "/portal/procurement/")}
    for _ in range(4):
        drive.tender = None
        drive.open_bidding()
        drive.bid(0, "90000.00")
    with drive.at(later):
        for key, user, url in (("list", people["head"], "/workbench/procurement/"), ("portal", people["org_users"][0], "/portal/procurement/")):
            client.force_login(user)
            with django_assert_max_num_queries(before[key]):
                html = client.get(url).content.decode()
            assert html.count("ZB-") >= 5, key


def test_portal_files_and_escalates_a_complaint(client, drive, people):
    tender = drive.standstill()
    loser = people["org_users"][0]
    client.force_login(loser)
    html = client.get("/portal/procurement/").content.decode()
    assert "提出质疑" in html
    url = f"/procurement/tenders/{tender.reference}/complaint/"
    assert client.get(url).status_code == 405
    r = client.post(url, {"organization": people["orgs"][0].pk, "text": "评分不公"}, follow=True)
    assert "质疑已提交" in r.content.decode()
    c = Complaint.objects.get()
    assert (c.organization, c.filed_by, c.status) == (people["orgs"][0], loser, "open")
    client.force_login(people["org_users"][3])  # did not bid: refused, nothing stored
    r = client.post(url, {"organization": people["orgs"][3].pk, "text": "我也质疑"}, follow=True)
    assert "只有投标人可以提出质疑" in r.content.decode() and Complaint.objects.count() == 1
    services.complaint_answer(actor=people["staff"], complaint_id=c.pk, answer="评分依规")
    client.force_login(loser)
    html = client.get("/portal/procurement/").content.decode()
    assert "评分依规" in html and "提交财政局" in html
    client.post(url, {"action": "escalate", "complaint": c.pk, "text": "不服"})
    assert Complaint.objects.get().status == "escalated"
    with drive.at(tender.standstill_end + timedelta(seconds=1)):
        client.force_login(loser)
        r = client.post(url, {"organization": people["orgs"][0].pk, "text": "再质疑"}, follow=True)
    assert "不在质疑期内" in r.content.decode() and Complaint.objects.count() == 1


def test_portal_requests_payment_for_an_accepted_milestone(client, drive, people):
    tender = drive.delivery()
    m = services.milestone_add(actor=people["staff"], tender_id=tender.pk, name="第一阶段服务",
                               due_date=str(timezone.localdate()), amount="20000.00")
    winner = people["org_users"][1]
    client.force_login(winner)
    html = client.get("/portal/procurement/").content.decode()
    assert "第一阶段服务" in html and "未验收" in html and "申请付款</button>" not in html
    url = f"/procurement/milestones/{m.pk}/payment/"
    r = client.post(url, {"amount": "20000.00"}, follow=True)
    assert "尚未验收" in r.content.decode() and not Payment.objects.exists()
    services.milestone_accept(actor=people["reviewer"], milestone_id=m.pk)
    html = client.get("/portal/procurement/").content.decode()
    assert "申请付款</button>" in html and 'value="20000.00"' in html
    r = client.post(url, {"amount": "20000.01"}, follow=True)
    assert "超过" in r.content.decode() and not Payment.objects.exists()
    client.post(url, {"amount": "15000.00"})
    assert Payment.objects.get().amount == 15000 and Payment.objects.get().requested_by == winner
    assert 'value="5000.00"' in client.get("/portal/procurement/").content.decode()
    client.force_login(people["org_users"][0])  # not the contracted organization
    assert "第一阶段服务" not in client.get("/portal/procurement/").content.decode()
    r = client.post(url, {"amount": "100.00"}, follow=True)
    assert "不是该组织的成员" in r.content.decode() and Payment.objects.count() == 1


def test_the_finance_precheck_page_shows_the_money_still_available(client, drive, people):
    """The finance reviewer decides the pre-check with the budget line's remaining money in front
    of them: amount less committed and spent."""
    tender = drive.submit()
    precheck = TaskRoute.objects.get(reference=tender.reference, node="precheck")
    client.force_login(people["fin"])
    page = client.get(f"/workbench/tasks/task/{precheck.pk}/").content.decode()
    tender.budget_line.refresh_from_db()
    assert f"尚可用 {money(tender.budget_line.available)}" in page
