"""The demo data: tenders in several states, made through the services; loading twice is harmless."""
import pytest

from engine.cases.models import TaskRoute
from engine.directory import demo as directory_demo
from engine.documents.models import Document
from processes.procurement import demo, ocds
from processes.procurement.models import Tender

from .test_documents import REQUIRED

pytestmark = pytest.mark.django_db


def test_demo_tenders_in_several_states_including_finance_approval(settings, tmp_path):
    # the demo hands in every file the production settings require (bids, contract, acceptance, invoice)
    settings.DOCUMENT_FILE_ROOT = str(tmp_path / "documents")
    settings.DOCUMENT_REQUIRED_KINDS = {**settings.DOCUMENT_REQUIRED_KINDS, **REQUIRED}
    directory_demo.load()
    demo.load()
    demo.load()
    states = sorted(Tender.objects.values_list("status", flat=True))
    assert states == sorted(["completed", "delivery", "award_review", "published", "tendering", "finance_precheck", "draft"])
    waiting = Tender.objects.get(status="finance_precheck")
    route = TaskRoute.objects.open().get(reference=waiting.reference)
    assert (route.node, route.department.code, route.role) == ("precheck", "fin", "reviewer")
    kinds = set(Document.objects.filter(process_name="procurement").values_list("kind", flat=True))
    assert kinds == {"tender", "bid_technical", "bid_price", "contract", "acceptance", "invoice"}
    package = ocds.release_package([ocds.build_release(t) for t in ocds.public_tenders()], uri="demo")
    assert ocds.validation_errors(package) == []


def test_demo_without_time_machine_still_loads_the_present_states(monkeypatch):
    directory_demo.load()
    monkeypatch.setattr(demo, "time_machine", None)  # as when the test dependency is not installed
    demo.load()
    assert sorted(Tender.objects.values_list("status", flat=True)) == ["draft", "finance_precheck", "published"]
