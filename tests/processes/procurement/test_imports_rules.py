"""An imported budget line or catalogue item is held to finance's services, not to a copy of
their rules: a row the service refuses is reported with its file row number, and nothing of the
file is written — the same through procurement's own endpoint and the engine's import API."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from engine.audit.models import AuditEvent
from engine.cases.errors import NotAllowed, RuleViolation
from engine.directory.models import Department
from processes.procurement import services
from processes.procurement.models import BudgetLine, CatalogueItem

pytestmark = pytest.mark.django_db

HEADER = "部门代码,年度,目录编码,预算金额\n"


def test_a_budget_line_with_an_amount_the_service_refuses_names_its_row_and_writes_nothing(people, budget):
    """D5: budget_line_create takes positive amounts of at most two places; row 3 has three."""
    item, _line = budget
    rows = HEADER + "mca-jinshui,2026,A01,1000.00\nedu,2026,A01,100.005\nwf,2026,A01,300\n"
    with pytest.raises(RuleViolation) as by_hand:
        services.budget_line_create(actor=people["fin"], department=Department.objects.get(code="edu"), year=2026,
                                    item=item, amount="100.005")
    with pytest.raises(RuleViolation) as imported:
        services.budget_import(actor=people["fin"], content=rows.encode(), fmt="csv")
    lines = imported.value.fields["rows"]
    assert len(lines) == 1 and lines[0].startswith("第3行") and str(by_hand.value.message) in lines[0]
    assert BudgetLine.objects.count() == 1  # the fixture's line only
    assert not AuditEvent.objects.filter(action__in=["procurement.budget.create", "import.done"]).exists()


def test_the_engine_dry_run_and_job_refuse_the_same_row(people, budget):
    rows = HEADER + "mca-jinshui,2026,A01,1000.00\nedu,2026,A01,0\n"
    client = APIClient()
    client.force_authenticate(people["fin"])
    url = "/api/v1/imports/procurement_budget_lines/"
    preview = client.post(url, {"file": SimpleUploadedFile("l.csv", rows.encode()), "dry_run": "true"},
                          format="multipart")
    assert preview.status_code == 200 and [e["row"] for e in preview.json()["errors"]] == [3]
    job = client.post(url, {"file": SimpleUploadedFile("l.csv", rows.encode())}, format="multipart")
    assert job.status_code == 202
    assert (job.json()["status"], job.json()["error_count"]) == ("failed", 1)
    assert job.json()["error_report"][0]["row"] == 3
    assert BudgetLine.objects.count() == 1


def test_a_catalogue_row_is_the_city_finance_bureaus_alone(people, budget):
    """D1: catalogue_item_create refuses a district 财政局; the import is refused on its row."""
    rows = "目录编码,服务名称,服务类别,服务标准,计量单位,年度\nC01,助老服务,养老,每周两次,次,2026\n"
    client = APIClient()
    client.force_authenticate(people["fin_jinshui"])
    preview = client.post("/api/v1/imports/procurement_catalogue/",
                          {"file": SimpleUploadedFile("c.csv", rows.encode()), "dry_run": "true"}, format="multipart")
    with pytest.raises(NotAllowed) as by_hand:
        services.catalogue_item_create(actor=people["fin_jinshui"], code="C01", name="助老服务", category="养老",
                                       service_standard="每周两次", unit="次", year=2026)
    errors = preview.json()["errors"]
    assert [e["row"] for e in errors] == [2] and errors[0]["message"].startswith(str(by_hand.value.message))
    assert not CatalogueItem.objects.filter(code="C01").exists()
