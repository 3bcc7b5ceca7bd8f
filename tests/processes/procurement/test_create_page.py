"""Department staff draft a tender on the workbench (the API was the only way); every rule is the
service's, so a refused draft shows the service's reason and creates nothing."""
from datetime import timedelta

import pytest
from django.utils import timezone

from engine.audit.models import AuditEvent
from engine.cases.models import TaskRoute
from processes.procurement.models import Tender

pytestmark = pytest.mark.django_db


def _post(people, budget, **changes):
    _item, line = budget
    now = timezone.localtime()
    data = {
        "name": "社区助老服务", "description": "", "budget_line": line.pk, "method": "open", "amount": "120000.00",
        "enquiry_end": (now + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
        "tender_end": (now + timedelta(days=26)).strftime("%Y-%m-%dT%H:%M"),
        "criteria": "服务方案 40\n团队与经验 30", "price_weight": "30",
        "experts": [e.pk for e in people["experts"]],
    }
    data.update(changes)
    return data


def test_staff_draft_a_tender_from_the_form(client, people, budget):
    client.force_login(people["staff"])
    assert "新建采购项目" in client.get("/workbench/procurement/").content.decode()
    page = client.get("/workbench/procurement/new/").content.decode()
    assert "A01 社区志愿服务" in page and "服务方案 40" in page
    r = client.post("/workbench/procurement/new/", _post(people, budget))
    tender = Tender.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/workbench/procurement/{tender.reference}/"
    assert (tender.status, tender.catalogue_item, tender.created_by) == ("draft", budget[0], people["staff"])
    assert [c["name"] for c in tender.criteria] == ["服务方案", "团队与经验"] and tender.experts.count() == 3
    assert TaskRoute.objects.filter(reference=tender.reference, node="prepare").exists()


@pytest.mark.parametrize("changes,message", [
    ({"tender_end": (timezone.localtime() + timedelta(days=8)).strftime("%Y-%m-%dT%H:%M")}, "投标期不少于20"),
    ({"criteria": "服务方案 50"}, "权重之和须为100"),
    ({"criteria": "服务方案 abc\n团队 30"}, "数值"),
    ({"amount": "1e20"}, "金额"),
    ({"method": "invited"}, "不少于3家"),
])
def test_a_refused_draft_shows_the_reason_and_creates_nothing(client, people, budget, changes, message):
    client.force_login(people["staff"])
    r = client.post("/workbench/procurement/new/", _post(people, budget, **changes))
    assert r.status_code == 200 and message in r.content.decode()
    assert not Tender.objects.exists()


def test_only_department_staff_may_open_the_form(client, people, budget):
    for outsider in (people["org_users"][0], people["experts"][0]):
        client.force_login(outsider)
        assert client.get("/workbench/procurement/new/").status_code in (403, 404)
    client.force_login(people["reviewer"])  # a reviewer approves; drafting is staff work
    assert client.get("/workbench/procurement/new/").status_code == 404
    assert "新建采购项目" not in client.get("/workbench/procurement/").content.decode()


def test_staff_correct_a_returned_draft_on_the_form(client, drive, people):
    tender = drive.create()
    client.force_login(people["staff"])
    assert "修改草稿" in client.get(f"/workbench/procurement/{tender.reference}/").content.decode()
    page = client.get(f"/workbench/procurement/{tender.reference}/edit/").content.decode()
    assert 'value="社区志愿服务项目"' in page and 'value="100000.00"' in page
    data = {
        "name": "社区志愿服务项目（修订）", "description": "", "budget_line": tender.budget_line_id, "method": "open",
        "amount": "110000.00", "criteria": "服务方案 40\n团队与经验 30", "price_weight": "30.00",
        "enquiry_end": timezone.localtime(tender.enquiry_end).strftime("%Y-%m-%dT%H:%M"),
        "tender_end": timezone.localtime(tender.tender_end).strftime("%Y-%m-%dT%H:%M"),
        "experts": [e.pk for e in people["experts"]],
    }
    r = client.post(f"/workbench/procurement/{tender.reference}/edit/", {**data, "amount": "12.345"})
    assert r.status_code == 200 and "金额" in r.content.decode()
    assert Tender.objects.get().amount == 100000
    r = client.post(f"/workbench/procurement/{tender.reference}/edit/", data)
    assert r.status_code == 302
    tender = Tender.objects.get()
    assert (tender.name, str(tender.amount)) == ("社区志愿服务项目（修订）", "110000.00")
    event = AuditEvent.objects.filter(reference=tender.reference, action="procurement.update").get()
    assert event.after["changed"] == ["amount", "name"]
    client.force_login(people["reviewer"])
    assert client.get(f"/workbench/procurement/{tender.reference}/edit/").status_code == 404
