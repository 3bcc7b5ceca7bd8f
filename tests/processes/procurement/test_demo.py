"""The demo data: tenders in several states, made through the services; loading twice is harmless."""
import pytest

from engine.cases.models import TaskRoute
from engine.directory import demo as directory_demo
from processes.procurement import demo, ocds
from processes.procurement.models import Tender

pytestmark = pytest.mark.django_db


def test_demo_tenders_in_several_states_including_finance_approval():
    directory_demo.load()
    demo.load()
    demo.load()
    states = sorted(Tender.objects.values_list("status", flat=True))
    assert states == sorted(["completed", "delivery", "award_review", "published", "tendering", "finance_precheck", "draft"])
    waiting = Tender.objects.get(status="finance_precheck")
    route = TaskRoute.objects.open().get(reference=waiting.reference)
    assert (route.node, route.department.code, route.role) == ("precheck", "fin", "reviewer")
    package = ocds.release_package([ocds.build_release(t) for t in ocds.public_tenders()], uri="demo")
    assert ocds.validation_errors(package) == []


def test_demo_without_time_machine_still_loads_the_present_states(monkeypatch):
    directory_demo.load()
    monkeypatch.setattr(demo, "time_machine", None)  # as when the test dependency is not installed
    demo.load()
    assert sorted(Tender.objects.values_list("status", flat=True)) == ["draft", "finance_precheck", "published"]
