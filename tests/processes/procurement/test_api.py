"""API v1 under /api/v1/procurement/: the lifecycle through HTTP, error codes, sealed bids (P4)."""
import io
from datetime import timedelta

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from engine.audit.models import AuditEvent
from engine.cases.models import TaskRoute
from processes.procurement import ocds
from processes.procurement import services as services_
from processes.procurement.models import Bid, CatalogueItem, Tender
from processes.procurement.tasks import chronograph
from tests.factories import UserFactory

from .conftest import route

pytestmark = pytest.mark.django_db
API = "/api/v1/procurement"
SECRET = "87654.32"


def client(user=None):
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


def test_create_tender_and_queue_steps_through_the_generic_task_api(people, budget):
    item, line = budget
    now = timezone.now()
    payload = {
        "department": "mca", "name": "养老志愿服务", "catalogue_item": item.pk, "budget_line": line.pk,
        "method": "open", "amount": "120000.00", "enquiry_end": (now + timedelta(days=5)).isoformat(),
        "tender_end": (now + timedelta(days=25)).isoformat(), "experts": [e.pk for e in people["experts"]],
    }
    assert client(people["fin"]).post(f"{API}/tenders/", payload, format="json").status_code == 403
    bad = client(people["staff"]).post(f"{API}/tenders/", {**payload, "tender_end": (now + timedelta(days=6)).isoformat()}, format="json")
    assert bad.status_code == 400 and "tender_end" in str(bad.json())
    r = client(people["staff"]).post(f"{API}/tenders/", payload, format="json")
    assert r.status_code == 201, r.json()
    ref = r.json()["reference"]
    tender = Tender.objects.get(reference=ref)
    r = client(people["staff"]).post(f"/api/v1/tasks/{route(tender, 'prepare').pk}/complete/", {"decision": "submit"}, format="json")
    assert r.status_code == 200, r.content
    r = client(people["fin"]).post(f"/api/v1/tasks/{route(tender, 'precheck').pk}/complete/", {"decision": "approve"}, format="json")
    assert r.status_code == 200, r.content
    assert client(people["org_users"][0]).get(f"{API}/tenders/{ref}/").json()["status"] == "published"
    r = client(people["fin"]).post(f"{API}/tenders/{ref}/cancel/", {"reason": "x"}, format="json")
    assert r.status_code == 403
    r = client(people["staff"]).post(f"{API}/tenders/{ref}/cancel/", {"reason": "需求取消"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert client(people["staff"]).post(f"{API}/tenders/{ref}/cancel/", {"reason": "再取消"}, format="json").status_code == 409


def test_drafts_are_not_known_outside_the_department(drive, people):
    tender = drive.create()
    assert client(people["org_users"][0]).get(f"{API}/tenders/{tender.reference}/").status_code == 404
    assert client(people["staff2"]).get(f"{API}/tenders/{tender.reference}/").status_code == 200


def test_bid_via_api_and_refused_after_the_deadline_with_409(drive, people):
    tender = drive.open_bidding()
    org, user = people["orgs"][0], people["org_users"][0]
    with drive.at(tender.enquiry_end + timedelta(hours=1)):
        r = client(user).post(f"{API}/bids/", {"tender": tender.reference, "organization": org.pk,
                                               "price": SECRET, "content": "我们的方案"}, format="json")
        assert r.status_code == 201 and r.json()["price"] == SECRET  # the bidder sees its own bid
        bid_id = r.json()["id"]
        r = client(user).post(f"{API}/bids/{bid_id}/replace/", {"price": "80000.00", "content": "新方案"}, format="json")
        assert r.status_code == 200
        bid_id = r.json()["id"]
    with drive.at(tender.tender_end + timedelta(seconds=1)):
        r = client(people["org_users"][1]).post(f"{API}/bids/", {"tender": tender.reference, "organization": people["orgs"][1].pk,
                                                                 "price": "1.00", "content": "晚"}, format="json")
        assert r.status_code == 409 and r.json()["code"] == "deadline_passed"
        assert client(user).post(f"{API}/bids/{bid_id}/withdraw/").status_code == 409
    assert Bid.objects.filter(withdrawn_at__isnull=True).count() == 1


def _all_text(c, tender, ref):
    """Everything a user can read about a tender through the API, as one string."""
    urls = [f"{API}/tenders/", f"{API}/tenders/{ref}/", f"{API}/tenders/{ref}/bids/", f"{API}/bids/",
            f"{API}/tenders/{ref}/ranking/", f"{API}/tenders/{ref}/ocds/", f"{API}/ocds/releases/",
            f"{API}/tenders/{ref}/complaints/", f"{API}/contracts/", f"/api/v1/cases/{ref}/"]
    text = ""
    for url in urls:
        r = c.get(url)
        text += r.content.decode()
    r = c.get(f"{API}/exports/results.xlsx")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    text += " ".join(str(cell.value) for row in wb.active.iter_rows() for cell in row)
    return text


def test_sealed_bids_no_department_user_learns_a_price_before_the_deadline(drive, people):
    tender = drive.open_bidding()
    drive.bid(0, SECRET)
    for user in (people["staff"], people["head"], people["reviewer"], people["fin"], people["org_users"][1]):
        text = _all_text(client(user), tender, tender.reference)
        assert SECRET not in text and "方案0" not in text
    # P4: before the deadline the department does not even learn that anyone bid
    r = client(people["head"]).get(f"{API}/tenders/{tender.reference}/bids/")
    assert r.status_code == 200 and r.json()["results"] == []
    own = client(people["org_users"][0]).get(f"{API}/tenders/{tender.reference}/bids/").json()["results"]
    assert len(own) == 1 and own[0]["price"] == SECRET
    # once bidding has been closed at the deadline the department sees it; another bidder never
    with drive.at(tender.tender_end + timedelta(seconds=1)):
        assert SECRET not in client(people["head"]).get(f"{API}/tenders/{tender.reference}/bids/").content.decode()

        chronograph()
        assert SECRET in client(people["head"]).get(f"{API}/tenders/{tender.reference}/bids/").content.decode()
        assert SECRET not in client(people["org_users"][1]).get(f"{API}/tenders/{tender.reference}/bids/").content.decode()


def test_scores_endpoint_ranking_and_award_visible_to_the_winner(drive, people):
    drive.evaluation()
    ref = drive.tender.reference
    sheets = [{"bid": b.pk, "scores": {"plan": "30", "team": "20"}} for b in drive.bids]
    assert client(people["staff"]).post(f"{API}/tenders/{ref}/scores/", {"sheets": sheets}, format="json").status_code == 403
    for expert in people["experts"]:
        r = client(expert).post(f"{API}/tenders/{ref}/scores/", {"sheets": sheets, "declaration": "无"}, format="json")
        assert r.status_code == 200, r.content
    assert r.json()["status"] == "award_review"
    ranking = client(people["fin"]).get(f"{API}/tenders/{ref}/ranking/").json()
    assert [row["rank"] for row in ranking] == [1, 2, 3] and ranking[0]["price"] == "80000.00"
    assert client(people["org_users"][0]).get(f"{API}/tenders/{ref}/ranking/").status_code == 403
    task = route(drive.tender, "award_review")
    client(people["fin"]).post(f"/api/v1/tasks/{task.pk}/complete/", {"decision": "approve"}, format="json")
    mine = client(people["org_users"][1]).get(f"{API}/bids/").json()["results"][0]
    assert mine["standing"].startswith("已中标")
    other = client(people["org_users"][0]).get(f"{API}/bids/").json()["results"][0]
    assert other["standing"] == "未中标"


def test_complaint_contract_payment_and_performance_via_api(drive, people):
    tender = drive.standstill()
    ref = tender.reference
    r = client(people["org_users"][0]).post(f"{API}/tenders/{ref}/complaints/",
                                            {"organization": people["orgs"][0].pk, "text": "有疑问"}, format="json")
    assert r.status_code == 201
    cid = r.json()["id"]
    assert client(people["fin"]).post(f"{API}/complaints/{cid}/answer/", {"text": "x"}, format="json").status_code == 403
    assert client(people["staff"]).post(f"{API}/complaints/{cid}/answer/", {"text": "已答复"}, format="json").status_code == 200
    # the right before the state: staff may never decide (403); finance may, but not an answered one (409)
    assert client(people["staff"]).post(f"{API}/complaints/{cid}/decide/", {"upheld": True, "decision": "x"}, format="json").status_code == 403
    assert client(people["fin"]).post(f"{API}/complaints/{cid}/decide/", {"upheld": True, "decision": "x"}, format="json").status_code == 409
    drive.tender = Tender.objects.get(pk=tender.pk)
    with drive.at(drive.tender.standstill_end + timedelta(seconds=1)):

        chronograph()
    start = timezone.localdate()
    task = TaskRoute.objects.get(reference=ref, node="contract")
    r = client(people["staff"]).post(f"/api/v1/tasks/{task.pk}/complete/", {"decision": "sign", "data": {
        "amount": "80000.00", "start_date": str(start), "end_date": str(start + timedelta(days=200))}}, format="json")
    assert r.status_code == 200, r.content
    r = client(people["staff"]).post(f"{API}/tenders/{ref}/milestones/", {"name": "一期", "due_date": str(start), "amount": "20000.00"}, format="json")
    mid = r.json()["id"]
    assert client(people["reviewer"]).post(f"{API}/milestones/{mid}/accept/").status_code == 200
    r = client(people["org_users"][1]).post(f"{API}/payments/", {"milestone": mid, "amount": "20000.01"}, format="json")
    assert r.status_code == 400
    r = client(people["org_users"][1]).post(f"{API}/payments/", {"milestone": mid, "amount": "20000.00"}, format="json")
    pid = r.json()["id"]
    assert client(people["staff"]).post(f"{API}/payments/{pid}/approve/").status_code == 403
    assert client(people["fin"]).post(f"{API}/payments/{pid}/approve/").json()["status"] == "approved"
    contracts = client(people["org_users"][0]).get(f"{API}/contracts/").json()["results"]
    assert contracts[0]["payments"][0]["amount"] == "20000.00"
    r = client(people["head"]).post(f"{API}/tenders/{ref}/performance/", {"score": "95", "comment": "优秀"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "completed"


def test_public_release_list_needs_no_login_and_validates(drive):
    drive.publish()
    r = client().get(f"{API}/ocds/releases/")
    assert r.status_code == 200
    assert ocds.validation_errors(r.json()) == [] and len(r.json()["releases"]) == 1
    drive.tender = None
    draft = drive.create()
    assert client().get(f"{API}/tenders/{draft.reference}/ocds/").status_code == 404


def test_admin_hides_sealed_prices(drive, people):
    admin_user = UserFactory(username="p_admin", is_staff=True, is_superuser=True)
    tender = drive.open_bidding()
    bid = drive.bid(0, SECRET)
    c = Client()
    c.force_login(admin_user)
    assert c.get("/admin/procurement/bid/?q=%s" % people["orgs"][0].name).context["cl"].result_count == 0
    for url in ("/admin/procurement/bid/", f"/admin/procurement/tender/{tender.pk}/change/"):
        r = c.get(url)
        assert r.status_code == 200, url
        html = r.content.decode()
        assert SECRET not in html and "方案0" not in html and people["orgs"][0].name not in html, url
    # P4: before the deadline a sealed bid is not listed, counted or opened: like one that does not exist
    changelist = c.get("/admin/procurement/bid/").context["cl"]
    assert changelist.result_count == 0 and changelist.full_result_count == 0
    assert c.get(f"/admin/procurement/bid/{bid.pk}/change/").status_code == c.get("/admin/procurement/bid/999999/change/").status_code
    # P4: filtering the list by price or content would reveal a sealed bid by the row count
    for query in ("price__gte=80000", "price__lt=90000", "content__contains=方案", "price=87654.32"):
        r = c.get(f"/admin/procurement/bid/?{query}")
        assert r.status_code == 400 and SECRET not in r.content.decode(), query
    assert c.get("/admin/procurement/bid/?tender__id__exact=%s" % tender.pk).status_code == 200
    with drive.at(tender.tender_end + timedelta(seconds=1)):
        services_.chronograph_run()
        c.force_login(admin_user)
        assert c.get("/admin/procurement/bid/").context["cl"].result_count == 1
        assert SECRET in c.get(f"/admin/procurement/bid/{bid.pk}/change/").content.decode()


def test_catalogue_admin_adds_through_the_audited_service_and_never_edits(people, budget):
    item, _line = budget
    admin_user = UserFactory(username="p_admin", is_staff=True, is_superuser=True)
    c = Client()
    c.force_login(admin_user)
    r = c.post("/admin/procurement/catalogueitem/add/", {
        "code": "C09", "name": "助学服务", "category": "教育", "service_standard": "每周一次", "unit": "次",
        "year": "2026", "published": "on",
    })
    assert r.status_code == 302, r.content.decode()[:2000]
    added = CatalogueItem.objects.get(code="C09")
    assert added.published and AuditEvent.objects.filter(action="procurement.catalogue.create", object_id=str(added.pk)).exists()
    # publishing or editing an item tenders refer to happens through the audited service only
    r = c.post(f"/admin/procurement/catalogueitem/{item.pk}/change/", {
        "code": "X", "name": "改名", "category": "x", "service_standard": "x", "unit": "x", "year": "2026",
    })
    assert r.status_code == 403
    item.refresh_from_db()
    assert (item.code, item.published) == ("A01", True)
    assert c.post(f"/admin/procurement/catalogueitem/{item.pk}/delete/", {"post": "yes"}).status_code == 403


def _queries(c, url):
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200, url
    return len(ctx.captured_queries)


def test_list_endpoints_cost_the_same_however_much_data(drive, people, django_assert_max_num_queries):
    """N+1 guard: measure each list with little data, grow the data, the count may not grow."""
    tender = drive.delivery()  # one tender with bids, scores, a contract
    ref = tender.reference
    staff, public, bidder = client(people["head"]), client(), client(people["org_users"][1])
    urls = [(staff, f"{API}/tenders/"), (staff, f"{API}/tenders/{ref}/bids/"), (staff, f"{API}/tenders/{ref}/ranking/"),
            (staff, f"{API}/contracts/"), (staff, f"{API}/budget-lines/"), (staff, f"{API}/catalogue/"),
            (staff, f"{API}/tenders/{ref}/complaints/"), (public, f"{API}/ocds/releases/"), (bidder, f"{API}/bids/")]
    later = timezone.now() + timedelta(days=300)  # every deadline has passed: bids are opened
    with drive.at(later):
        before = {url: _queries(c, url) for c, url in urls}
    start = timezone.localdate()
    for i in range(3):  # more milestones and approved payments on the contract
        m = services_.milestone_add(actor=people["staff"], tender_id=tender.pk, name=f"节点{i}", due_date=str(start), amount="1000.00")
        services_.milestone_accept(actor=people["reviewer"], milestone_id=m.pk)
        p = services_.payment_request(actor=people["org_users"][1], milestone_id=m.pk, amount="1000.00")
        services_.payment_approve(actor=people["fin"], payment_id=p.pk)
    for _ in range(3):  # more public tenders past their deadline, each with three opened bids
        drive.tender = None
        drive.evaluation()
    with drive.at(later):
        for c, url in urls:
            with django_assert_max_num_queries(before[url]):
                assert c.get(url).status_code == 200, url
        releases = client().get(f"{API}/ocds/releases/").json()["releases"]
    assert len(releases) == 4 and all(len(r["tender"]["tenderers"]) == 3 for r in releases)


def test_generic_case_view_is_not_open_to_bidders(drive, people):
    tender = drive.open_bidding()
    drive.bid(0, SECRET)
    assert client(people["org_users"][1]).get(f"/api/v1/cases/{tender.reference}/").status_code == 404
    assert client(people["staff"]).get(f"/api/v1/cases/{tender.reference}/").status_code == 200


def test_ranking_and_tender_page_cost_the_same_for_more_bids(drive, people, django_assert_max_num_queries):
    small = drive.award_review()  # three bids, scored
    drive.tender = None
    drive.evaluation(prices=("90000.00", "80000.00", "95000.00", "85000.00"))
    big = drive.score_all()  # four bids, scored
    assert big.bids.count() == 4 and big.status == small.status == "award_review"
    page = Client()
    page.force_login(people["head"])
    api = client(people["head"])
    baseline = {
        "api": _queries(api, f"{API}/tenders/{small.reference}/ranking/"),
        "page": _queries(page, f"/workbench/procurement/{small.reference}/"),
    }
    with django_assert_max_num_queries(baseline["api"]):
        assert len(api.get(f"{API}/tenders/{big.reference}/ranking/").json()) == 4
    with django_assert_max_num_queries(baseline["page"]):
        assert page.get(f"/workbench/procurement/{big.reference}/").status_code == 200


def test_catalogue_filter_by_a_year_that_is_not_a_number_is_a_400(people, budget):
    c = APIClient(raise_request_exception=False)
    c.force_authenticate(people["staff"])
    assert c.get(f"{API}/catalogue/?year=abc").status_code == 400
    assert c.get(f"{API}/catalogue/?year=2026").json()["count"] == 1
    assert c.get(f"{API}/catalogue/?year=2025").json()["count"] == 0
