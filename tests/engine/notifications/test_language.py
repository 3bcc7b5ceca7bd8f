"""A sweep has no reader of its own: what it sends is written in each recipient's language."""
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from engine.cases.models import TaskRoute
from engine.cases.sla import flag_overdue
from engine.directory.models import Department
from engine.notifications.models import Notification
from engine.notifications.services import remember_language
from tests.example.services import example_create
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_the_overdue_notice_reaches_each_head_in_their_language():
    english = member("base-city", "head", username="l_head_en")
    chinese = member("base-city", "head", username="l_head_zh")
    remember_language(user=english, language="en")
    remember_language(user=chinese, language="fr")  # not offered: ignored, the default stays
    case = example_create(actor=english, department=Department.objects.get(code="base-city"), subject="逾期")
    route = TaskRoute.objects.get(reference=case.reference)
    with time_machine.travel(route.due_at + timedelta(minutes=1), tick=False):
        assert flag_overdue(timezone.now()) == 1
    titles = dict(Notification.objects.filter(kind="task.overdue").values_list("user__username", "title"))
    assert titles["l_head_en"].startswith(f"Task overdue: {case.reference}")
    assert titles["l_head_zh"].startswith(f"待办逾期：{case.reference}")
