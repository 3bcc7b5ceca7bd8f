"""The time bank's API: the caller's account and statement, the public catalogue, redemption
and the provider's answer; errors with codes; a fixed number of queries per page."""
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from processes.timebank.models import Redemption
from processes.timebank.services.exchange import redeem, service_publish

pytestmark = pytest.mark.django_db


def client_for(user=None):
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


def test_account_and_statement(credited, vol_user, provider_manager):
    body = client_for(vol_user).get("/api/v1/timebank/account/").json()
    assert Decimal(body["balance"]) == Decimal("6.50") and Decimal(body["held"]) == 0
    entries = client_for(vol_user).get("/api/v1/timebank/account/entries/").json()["results"]
    assert [(e["kind"], Decimal(e["amount"])) for e in entries] == [("post", Decimal("6.50"))]
    assert client_for(provider_manager).get("/api/v1/timebank/account/").status_code == 403
    assert client_for().get("/api/v1/timebank/account/").status_code == 401


def test_public_catalogue_with_search_filter_and_sort(service, provider, provider_manager):
    service_publish(actor=provider_manager, provider_id=provider.pk, title="陪诊一次", hours="5")
    anon = client_for()
    titles = [s["title"] for s in anon.get("/api/v1/timebank/services/?sort=hours").json()["results"]]
    assert titles == ["上门理发", "陪诊一次"]
    assert [s["title"] for s in anon.get("/api/v1/timebank/services/?q=陪诊").json()["results"]] == ["陪诊一次"]
    assert [s["title"] for s in anon.get("/api/v1/timebank/services/?max_hours=3").json()["results"]] == ["上门理发"]


def test_publish_through_the_api(provider, provider_manager, manager):
    body = {"provider": provider.pk, "title": "家电维修", "hours": "3"}
    assert client_for(provider_manager).post("/api/v1/timebank/services/", body, format="json").status_code == 201
    refused = client_for(manager).post("/api/v1/timebank/services/", body, format="json")
    assert refused.status_code == 403
    bad = client_for(provider_manager).post("/api/v1/timebank/services/", {**body, "hours": "NaN"}, format="json")
    assert bad.status_code == 400


def test_redeem_and_confirm_through_the_api(credited, vol_user, service, provider_manager):
    r = client_for(vol_user).post(f"/api/v1/timebank/services/{service.pk}/redeem/", {"note": "周六"}, format="json")
    assert r.status_code == 201, r.content
    reference = r.json()["reference"]
    listed = client_for(provider_manager).get("/api/v1/timebank/redemptions/?status=held").json()["results"]
    assert [x["reference"] for x in listed] == [reference]
    done = client_for(provider_manager).post(f"/api/v1/timebank/redemptions/{reference}/decide/",
                                              {"decision": "confirm"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "delivered"
    again = client_for(provider_manager).post(f"/api/v1/timebank/redemptions/{reference}/decide/",
                                               {"decision": "confirm"}, format="json")
    assert again.status_code == 409


def test_redeeming_beyond_the_balance_is_a_409_with_a_code(credited, vol_user, service):
    service.hours = Decimal("10")
    service.save()
    r = client_for(vol_user).post(f"/api/v1/timebank/services/{service.pk}/redeem/", {}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "insufficient_hours"
    assert not Redemption.objects.exists()


def test_transfer_refused_while_the_setting_is_off(credited, vol_user):
    r = client_for(vol_user).post("/api/v1/timebank/transfers/", {
        "to_volunteer_number": "X", "to_id_number": "1", "hours": "1", "relationship": "母亲"}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "transfer_disabled"


def test_lists_ask_a_fixed_number_of_queries(credited, vol_user, service, provider, provider_manager,
                                             django_assert_max_num_queries):
    api = client_for(vol_user)
    redeem(actor=vol_user, service_id=service.pk)
    urls = ["/api/v1/timebank/account/entries/", "/api/v1/timebank/services/", "/api/v1/timebank/redemptions/"]
    for url in urls:
        api.get(url)  # warm the caches
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            api.get(url)
        counts[url] = len(ctx)
    for i in range(2):
        extra = service_publish(actor=provider_manager, provider_id=provider.pk, title=f"服务{i}", hours="0.5")
        redeem(actor=vol_user, service_id=extra.pk)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert api.get(url).status_code == 200
