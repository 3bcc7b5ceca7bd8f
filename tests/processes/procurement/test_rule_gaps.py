"""Rule gaps found by black-box checks: the catalogue's jurisdiction (D1), duplicates as 409,
complaint rights before state, money, dates and text on input (D5), the contract's paid total
(P8) and the OCDS list with nothing published (P10). Each tries the illegal case and checks that
nothing changed."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from rest_framework.test import APIClient

from engine.audit.models import AuditEvent
from engine.cases.actions import task_complete
from engine.cases.errors import NotAllowed, RuleViolation, StateConflict
from engine.directory.models import Department
from processes.procurement import ocds, services
from processes.procurement.models import Bid, BudgetLine, CatalogueItem, Complaint, Contract, Milestone, Payment, Tender

from .conftest import route

pytestmark = pytest.mark.django_db
API = "/api/v1/procurement"
ITEM = {"code": "B02", "name": "助老服务", "category": "养老", "service_standard": "每周两次", "unit": "项", "year": 2026}


def api(user=None):
    c = APIClient(raise_request_exception=False)
    if user is not None:
        c.force_authenticate(user)
    return c


# --- D1: the city-wide catalogue is the city finance bureau's ---------------------------------

def test_district_finance_neither_creates_publishes_nor_withdraws_catalogue_items(people, budget):
    item, _line = budget
    district = people["fin_jinshui"]
    r = api(district).post(f"{API}/catalogue/", ITEM, format="json")
    assert r.status_code == 403 and r.json()["code"] == "not_city_finance"
    for published in (False, True):
        with pytest.raises(NotAllowed):
            services.catalogue_item_publish(actor=district, item_id=item.pk, published=published)
    assert api(district).post(f"{API}/catalogue/{item.pk}/publish/").status_code == 403
    r = api(district).post(f"{API}/catalogue/import/", {"file": SimpleUploadedFile("a.csv", b"code\n")}, format="multipart")
    assert r.status_code == 403
    item.refresh_from_db()
    assert item.published and CatalogueItem.objects.count() == 1
    assert not AuditEvent.objects.filter(action__startswith="procurement.catalogue").exists()
    # the district bureau still keeps its district's budget lines; the city bureau the catalogue
    services.budget_line_create(actor=district, department=Department.objects.get(code="mca-jinshui"),
                                year=2026, item=item, amount="1000.00")
    assert api(people["fin"]).post(f"{API}/catalogue/", ITEM, format="json").status_code == 201
    services.catalogue_item_publish(actor=people["fin"], item_id=item.pk, published=False)


def test_budget_page_offers_catalogue_actions_to_the_city_bureau_only(client, people, budget):
    item, _line = budget
    client.force_login(people["fin_jinshui"])
    html = client.get("/workbench/procurement/budget/lines/").content.decode()
    assert 'value="publish"' not in html and 'value="import_catalogue"' not in html
    client.post("/workbench/procurement/budget/lines/", {"action": "publish", "item": item.pk, "published": "0"})
    item.refresh_from_db()
    assert item.published
    client.force_login(people["fin"])
    assert 'value="publish"' in client.get("/workbench/procurement/budget/lines/").content.decode()


# --- duplicates: the unique constraint answers 409 --------------------------------------------

def test_duplicate_catalogue_item_and_budget_line_are_409(people, budget):
    item, line = budget
    r = api(people["fin"]).post(f"{API}/catalogue/", {**ITEM, "code": item.code}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "catalogue_item_exists"
    r = api(people["fin"]).post(f"{API}/budget-lines/", {"department": "mca", "year": 2026, "item": item.pk,
                                                          "amount": "1.00"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "budget_line_exists"
    assert CatalogueItem.objects.count() == 1 and BudgetLine.objects.get().amount == line.amount


# --- complaints: the right before the state (P7) ----------------------------------------------

@pytest.mark.parametrize("answered", [False, True])
def test_complaint_actions_check_the_right_before_the_state(drive, people, answered):
    tender = drive.standstill()
    complaint = services.complaint_file(actor=people["org_users"][0], tender_id=tender.pk,
                                        organization_id=people["orgs"][0].pk, text="评分不公")
    if answered:
        services.complaint_answer(actor=people["staff"], complaint_id=complaint.pk, answer="已复核")
    before = Complaint.objects.values().get(pk=complaint.pk)
    stranger, other_bidder = people["org_users"][3], people["org_users"][2]
    for user in (stranger, other_bidder):
        for verb, body in (("answer", {"text": "x"}), ("escalate", {"text": "x"}),
                           ("decide", {"upheld": True, "decision": "x"})):
            r = api(user).post(f"{API}/complaints/{complaint.pk}/{verb}/", body, format="json")
            assert r.status_code == 404, (user, verb, r.content)
            assert r.json() == api(user).post(f"{API}/complaints/999999/{verb}/", body, format="json").json()
    # who sees it but may not act: 403 whatever the state
    assert api(people["staff"]).post(f"{API}/complaints/{complaint.pk}/escalate/", {"text": "x"}, format="json").status_code == 403
    assert api(people["org_users"][0]).post(f"{API}/complaints/{complaint.pk}/answer/", {"text": "x"}, format="json").status_code == 403
    assert api(people["staff"]).post(f"{API}/complaints/{complaint.pk}/decide/", {"upheld": True, "decision": "x"},
                                     format="json").status_code == 403
    assert Complaint.objects.values().get(pk=complaint.pk) == before


# --- D5: money, dates and text on input ---------------------------------------------------------

@pytest.mark.parametrize("price,ok", [(85000.5, False), (1.5, False), ("85000.505", False), ("1e13", False),
                                      ("85000.50", True), (85000, True)])
def test_bid_price_refuses_floats_and_more_than_two_places(drive, people, price, ok):
    tender = drive.open_bidding()
    with drive.at(tender.enquiry_end + timedelta(hours=1)):
        r = api(people["org_users"][0]).post(f"{API}/bids/", {"tender": tender.reference, "organization": people["orgs"][0].pk,
                                                              "price": price, "content": "方案"}, format="json")
    if ok:
        assert r.status_code == 201, r.content
        assert Bid.objects.get().price == Decimal(str(price))
    else:
        assert r.status_code == 400 and "price" in r.json()["fields"], r.content
        assert not Bid.objects.exists()


def test_money_dates_and_text_out_of_range_are_400(drive, people, budget):
    item, line = budget
    fin = api(people["fin"])
    assert fin.post(f"{API}/budget-lines/", {"department": "mca", "year": 2026, "item": item.pk, "amount": 1000.5},
                    format="json").status_code == 400
    assert fin.post(f"{API}/catalogue/", {**ITEM, "year": 1}, format="json").status_code == 400
    assert fin.post(f"{API}/catalogue/", {**ITEM, "service_standard": "长" * 5001}, format="json").status_code == 400
    body = {"department": "mca", "name": "项目", "catalogue_item": item.pk, "budget_line": line.pk, "method": "open",
            "amount": "1000.00", "enquiry_end": "0001-01-01T00:00:00+08:00", "tender_end": "0001-02-01T00:00:00+08:00",
            "experts": [e.pk for e in people["experts"]]}
    r = api(people["staff"]).post(f"{API}/tenders/", body, format="json")
    assert r.status_code == 400 and "enquiry_end" in r.json()["fields"]
    assert api(people["staff"]).post(f"{API}/tenders/", {**body, "amount": 1000.25}, format="json").status_code == 400
    assert CatalogueItem.objects.count() == 1 and BudgetLine.objects.count() == 1 and not Tender.objects.exists()
    tender = drive.delivery()
    ref = tender.reference
    for bad in ({"name": "一期", "due_date": "0001-01-01", "amount": "10.00"},
                {"name": "一期", "due_date": "2026-12-31", "amount": 10.5},
                {"name": "长" * 129, "due_date": "2026-12-31", "amount": "10.00"}):
        r = api(people["staff"]).post(f"{API}/tenders/{ref}/milestones/", bad, format="json")
        assert r.status_code == 400, (bad, r.content)
    assert not Milestone.objects.exists()
    r = api(people["staff"]).post(f"{API}/tenders/{ref}/cancel/", {"reason": "长" * 5001}, format="json")
    assert r.status_code == 400


# --- P8: the database holds the paid total under the contract amount ----------------------------

def test_contract_paid_total_is_checked_by_the_database(drive, people):
    tender = drive.delivery()
    contract = tender.contract
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.filter(pk=contract.pk).update(paid=F("amount") + Decimal("0.01"))
    contract.refresh_from_db()
    assert contract.paid == 0


def test_payment_beyond_the_paid_total_is_a_409_not_a_500(drive, people):
    tender = drive.delivery()
    m = services.milestone_add(actor=people["staff"], tender_id=tender.pk, name="一期", due_date="2026-12-31",
                               amount="10000.00")
    services.milestone_accept(actor=people["reviewer"], milestone_id=m.pk)
    payment = services.payment_request(actor=people["org_users"][1], milestone_id=m.pk, amount="10000.00")
    # as if another path had paid out the whole contract without its payment row
    Contract.objects.filter(pk=tender.contract.pk).update(paid=F("amount"))
    r = api(people["fin"]).post(f"{API}/payments/{payment.pk}/approve/")
    assert r.status_code == 409 and r.json()["code"] == "contract_overpaid"
    assert Payment.objects.get(pk=payment.pk).status == "requested"
    assert BudgetLine.objects.get().spent == 0


def test_approved_payments_add_up_in_the_paid_total(drive, people):
    tender = drive.delivery()
    m = services.milestone_add(actor=people["staff"], tender_id=tender.pk, name="一期", due_date="2026-12-31",
                               amount="10000.00")
    services.milestone_accept(actor=people["reviewer"], milestone_id=m.pk)
    for amount in ("4000.00", "6000.00"):
        p = services.payment_request(actor=people["org_users"][1], milestone_id=m.pk, amount=amount)
        services.payment_approve(actor=people["fin"], payment_id=p.pk)
    assert Contract.objects.get(pk=tender.contract.pk).paid == Decimal("10000.00")
    with pytest.raises(StateConflict):
        services.payment_request(actor=people["org_users"][1], milestone_id=m.pk, amount="1.00")


# --- P10: the OCDS list with nothing published --------------------------------------------------

def test_ocds_list_with_nothing_published_is_never_an_invalid_package(drive):
    drive.create()  # a draft: nothing public
    r = api().get(f"{API}/ocds/releases/")
    assert r.status_code == 404 and r.json()["code"] == "no_releases"
    drive.submit()
    assert api().get(f"{API}/ocds/releases/").status_code == 404  # awaiting pre-check: still nothing public
    task_complete(actor=drive.p["fin"], task_id=route(drive.tender, "precheck").pk, decision="approve")
    package = api().get(f"{API}/ocds/releases/").json()
    assert ocds.validation_errors(package) == [] and len(package["releases"]) == 1


def test_services_refuse_overlong_text_from_any_entry_point(drive, people):
    """The pages call the services directly: the limits hold there too, and nothing changes."""
    draft = drive.create()
    with pytest.raises(RuleViolation):
        services.tender_update(actor=people["staff"], tender_id=draft.pk, name="长" * 201)
    assert Tender.objects.get(pk=draft.pk).name == draft.name
    tender = drive.publish()
    with pytest.raises(RuleViolation):
        services.tender_cancel(actor=people["staff"], tender_id=tender.pk, reason="长" * 5001)
    assert Tender.objects.get(pk=tender.pk).status == "published"
    assert not AuditEvent.objects.filter(reference=tender.reference, action="procurement.cancel").exists()
