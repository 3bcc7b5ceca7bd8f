"""The portal page and the public catalogue: a volunteer redeems, the provider confirms; each
action says what happened and where the redemption went."""
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from processes.timebank.models import Account, Redemption
from processes.timebank.services.exchange import redeem, service_publish

pytestmark = pytest.mark.django_db


def test_volunteer_sees_the_account_and_redeems(client, credited, vol_user, service, volunteer):
    client.force_login(vol_user)
    page = client.get("/portal/timebank/").content.decode()
    assert 'id="tb-balance">6.50<' in page and "上门理发" in page
    response = client.post(f"/timebank/portal/services/{service.pk}/redeem/", follow=True)
    redemption = Redemption.objects.get()
    assert redemption.reference in response.content.decode()
    assert Account.objects.get(volunteer=volunteer).balance == Decimal("4.50")


def test_provider_confirms_in_its_queue(client, credited, vol_user, service, provider_manager):
    r = redeem(actor=vol_user, service_id=service.pk)
    client.force_login(provider_manager)
    assert r.reference in client.get("/portal/timebank/").content.decode()
    client.post(f"/timebank/portal/redemptions/{r.reference}/confirm/")
    assert Redemption.objects.get(pk=r.pk).status == Redemption.Status.DELIVERED
    answered = client.get("/portal/timebank/").content.decode().split('id="tb-answered"')[1]
    assert answered.index("<th>") < answered.index(r.reference)  # titled columns: the phone's cards label each cell


def test_a_refusal_is_shown_and_changes_nothing(client, credited, vol_user, service, volunteer):
    service.hours = Decimal("9")
    service.save()
    client.force_login(vol_user)
    response = client.post(f"/timebank/portal/services/{service.pk}/redeem/", follow=True)
    assert "6.50" in response.content.decode()
    assert not Redemption.objects.exists()


def test_public_catalogue_without_login(client, service):
    page = client.get("/timebank/services/?q=理发&sort=hours").content.decode()
    assert "上门理发" in page
    assert "上门理发" not in client.get("/timebank/services/?q=不存在").content.decode()


def test_portal_page_asks_a_fixed_number_of_queries(client, credited, vol_user, service, provider, provider_manager,
                                                   django_assert_max_num_queries):
    client.force_login(vol_user)
    redeem(actor=vol_user, service_id=service.pk)
    client.get("/portal/timebank/")
    with CaptureQueriesContext(connection) as one:
        client.get("/portal/timebank/")
    for i in range(3):
        extra = service_publish(actor=provider_manager, provider_id=provider.pk, title=f"服务{i}", hours="0.5")
        redeem(actor=vol_user, service_id=extra.pk)
    with django_assert_max_num_queries(len(one)):
        assert client.get("/portal/timebank/").status_code == 200
