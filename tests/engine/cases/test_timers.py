from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from engine.cases.models import TaskRoute
from engine.cases.tasks import fire_flow_timers
from engine.directory.models import Department
from tests.example.flows import TimedExampleFlow
from tests.example.models import ExampleCase

pytestmark = pytest.mark.django_db


def test_beat_fires_viewflow_timers_when_due(base_people):
    case = ExampleCase.objects.create(department=Department.objects.get(code="base-city"), subject="冷静期")
    TimedExampleFlow.start.run(case=case)
    fire_flow_timers.delay()
    assert not TaskRoute.objects.filter(reference=case.reference).exists()
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        fire_flow_timers.delay()
        fire_flow_timers.delay()
    routes = TaskRoute.objects.filter(reference=case.reference)
    assert [(r.node, r.department.code) for r in routes] == [("prepare", "base-city")]
