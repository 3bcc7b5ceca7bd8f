"""What the applicant's members are told is written in each member's own language, whatever
language the staff member who acted works in."""
import pytest
from django.utils import translation

from engine.cases.actions import task_complete
from engine.notifications.models import Notification
from engine.notifications.services import remember_language
from tests.factories import org_user

from .conftest import open_route

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("acting_language", ["zh-hans", "en"])
def test_a_return_reaches_each_member_in_their_language(
        acting_language, submitted, people, applicant, org, django_capture_on_commit_callbacks):
    colleague = org_user(org, username="inc_colleague_en")
    remember_language(user=colleague, language="en")
    with translation.override(acting_language), django_capture_on_commit_callbacks(execute=True):
        task_complete(actor=people["staff"], task_id=open_route(submitted, "intake").pk, decision="return",
                      reason="缺少章程盖章页")
    told = {n.user_id: n for n in Notification.objects.filter(reference=submitted.reference, kind="incubation")}
    assert told[colleague.pk].title == (f"Incubation application {submitted.reference} was returned; "
                                        "please supply the missing documents")
    assert told[applicant.pk].title == f"孵化申请 {submitted.reference} 已退回，请补充材料"
    assert told[applicant.pk].body == told[colleague.pk].body == "缺少章程盖章页"
