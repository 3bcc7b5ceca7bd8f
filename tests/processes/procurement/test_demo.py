"""The demo data: tenders in several states, made through the services; loading twice is harmless."""
import builtins

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
    assert states == sorted(["completed", "delivery", "award_review", "tendering", "finance_precheck", "draft"])
    waiting = Tender.objects.get(status="finance_precheck")
    route = TaskRoute.objects.open().get(reference=waiting.reference)
    assert (route.node, route.department.code, route.role) == ("precheck", "fin", "reviewer")
    package = ocds.release_package([ocds.build_release(t) for t in ocds.public_tenders()], uri="demo")
    assert ocds.validation_errors(package) == []


def test_demo_without_time_machine_still_loads_the_present_states(monkeypatch):
    real_import = builtins.__import__

    def no_time_machine(name, *args, **kwargs):
        if name == "time_machine":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    directory_demo.load()
    monkeypatch.setattr(builtins, "__import__", no_time_machine)
    demo.load()
    assert sorted(Tender.objects.values_list("status", flat=True)) == ["draft", "finance_precheck"]
