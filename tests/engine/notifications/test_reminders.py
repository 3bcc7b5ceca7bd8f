"""Reminders go out once per recipient and deadline however often the sweep runs; a moved
deadline is reminded of again."""
from datetime import timedelta

import pytest
from django.utils import timezone

from engine.notifications import reminders
from engine.notifications.models import Notification
from tests.factories import UserFactory


def send(user, deadline):
    return reminders.send_once(recipient=user, kind="reminder.appeal", object_type="directory.user",
                               object_id=user.pk, deadline=deadline, title="申诉期即将结束")


@pytest.mark.django_db
def test_once_per_recipient_and_deadline():
    user, deadline = UserFactory(), timezone.now() + timedelta(days=1)
    assert send(user, deadline) is True
    assert send(user, deadline) is False
    assert send(user, deadline + timedelta(days=2)) is True  # the deadline moved
    assert Notification.objects.filter(user=user).count() == 2
