"""The volunteer reads what they are told in their own language, whatever language the
organization's manager who acted works in."""
import pytest
from django.utils import translation

from engine.cases.actions import task_complete
from engine.cases.models import TaskRoute
from engine.notifications.models import Notification
from engine.notifications.services import remember_language
from processes.certification.services.requests import request_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("acting_language, reading_language, title", [
    ("zh-hans", "en", "Certificate request refused: {ref}"),
    ("en", "zh-hans", "证明申请未获出具：{ref}"),
])
def test_a_refusal_reaches_the_volunteer_in_their_language(
        acting_language, reading_language, title, vol_user, volunteer, org, approved_record, manager,
        django_capture_on_commit_callbacks):
    remember_language(user=vol_user, language=reading_language)
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org, purpose="升学")
    route = TaskRoute.objects.get(reference=case.reference, node="verify", state__in=["open", "claimed"])
    with translation.override(acting_language), django_capture_on_commit_callbacks(execute=True):
        task_complete(actor=manager, task_id=route.pk, decision="refuse", reason="记录与活动签到不符")
    notice = Notification.objects.get(user=vol_user, kind="certification.refused")
    assert notice.title == title.format(ref=case.reference)
    assert notice.body == "记录与活动签到不符"
