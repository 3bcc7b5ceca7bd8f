"""The recruitment and time bank demo data: loaded after the directory and certification demos
(as ``setup_demo`` orders the apps), twice without change, and shown on the pages the README's
demo walks through."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from engine.directory import demo as directory_demo
from processes.certification import demo as certification_demo
from processes.recruitment import demo as recruitment_demo
from processes.recruitment.models import EmergencyCall, Recruitment, SignUp
from processes.timebank import demo as timebank_demo
from processes.timebank.models import Account, ExchangeService, LedgerTransaction, Redemption
from processes.timebank.reconcile import discrepancies

pytestmark = pytest.mark.django_db


def _load_twice():
    directory_demo.load()
    certification_demo.load()
    for _round in range(2):
        timebank_demo.load()
        recruitment_demo.load()


def _counts():
    return (Recruitment.objects.count(), SignUp.objects.count(), EmergencyCall.objects.count(),
            ExchangeService.objects.count(), Redemption.objects.count(), LedgerTransaction.objects.count())


def _as(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_loading_twice_changes_nothing():
    _load_twice()
    before = _counts()
    timebank_demo.load()
    recruitment_demo.load()
    assert _counts() == before
    assert before[:2] == (2, 3)


def test_without_the_certification_demo_nothing_is_made():
    directory_demo.load()
    timebank_demo.load()
    recruitment_demo.load()
    assert _counts() == (0, 0, 0, 0, 0, 0)


def test_recruitments_and_sign_ups(client):
    _load_twice()
    regular = Recruitment.objects.get(kind=Recruitment.Kind.REGULAR)
    emergency = Recruitment.objects.get(kind=Recruitment.Kind.EMERGENCY)
    assert regular.organization.name == "郑州市金水区阳光志愿者协会" and regular.slots.count() == 2
    assert emergency.organization.name == "郑州市绿城青年志愿服务中心" and emergency.answer_by is not None
    states = dict(SignUp.objects.filter(slot__recruitment=regular).values_list("volunteer__real_name", "status"))
    assert states == {"李小萌": SignUp.Status.SELECTED, "王大力": SignUp.Status.APPLIED}
    assert EmergencyCall.objects.filter(recruitment=emergency, answer=EmergencyCall.Answer.YES).count() >= 1

    page = client.get("/recruitment/").content.decode()
    assert regular.title in page and emergency.title in page

    waiting = SignUp.objects.get(slot__recruitment=regular, status=SignUp.Status.APPLIED)
    page = _as(client, "org_sunshine").get(f"/recruitment/{regular.pk}/").content.decode()
    assert "王大力" in page and reverse("recruitment:signup-action", args=[regular.pk, waiting.pk, "select"]) in page

    page = _as(client, "vol_li").get("/portal/recruitment/").content.decode()
    assert regular.title in page and emergency.title in page  # her sign-up and her unanswered call


def test_time_accounts_services_and_redemptions(client):
    _load_twice()
    assert next(iter(discrepancies()), None) is None
    for name in ("李小萌", "王大力"):
        assert Account.objects.get(volunteer__real_name=name).balance > 0
    assert sorted(Redemption.objects.values_list("service__title", "status")) == [
        ("上门理发", Redemption.Status.DELIVERED), ("助老陪诊", Redemption.Status.HELD)]

    page = _as(client, "vol_li").get("/portal/timebank/")
    assert page.status_code == 200
    text = page.content.decode()
    balance = Account.objects.get(volunteer__real_name="李小萌").balance
    assert f"{balance}" in text or f"{balance.normalize()}" in text
    assert "助老陪诊" in text and "上门理发" in text

    waiting = Redemption.objects.get(status=Redemption.Status.HELD)
    assert waiting.reference in _as(client, "org_green").get("/portal/timebank/").content.decode()
    assert "上门理发" in client.get("/timebank/services/").content.decode()
