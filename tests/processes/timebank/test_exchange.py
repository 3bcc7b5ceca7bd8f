"""T5–T7: redemption holds hours, the provider confirms (hours move) or declines (released),
the volunteer cancels, unanswered it expires; family transfer is a setting."""
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from engine.audit.models import AuditEvent
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.directory.models import OrganizationMember
from engine.notifications.models import Notification
from processes.certification.services.registry import volunteer_register
from processes.timebank.models import Account, Entry, Redemption
from processes.timebank.reconcile import discrepancies
from processes.timebank.services.exchange import (
    hours_transfer,
    redeem,
    redemption_cancel,
    redemption_confirm,
    redemption_decline,
    service_publish,
    service_withdraw,
)
from processes.timebank.tasks import expire_redemptions
from tests.factories import UserFactory

from .conftest import id_number

pytestmark = pytest.mark.django_db


def _balance(volunteer):
    return Account.objects.get(volunteer=volunteer).balance


def test_redeeming_holds_the_hours_and_tells_the_provider(credited, volunteer, vol_user, service, provider_manager,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = redeem(actor=vol_user, service_id=service.pk, note="周六上午")
    assert r.status == Redemption.Status.HELD and r.reference.startswith("SJ-")
    assert r.due_at > timezone.now()
    assert _balance(volunteer) == Decimal("4.50")
    assert Notification.objects.filter(user=provider_manager, reference=r.reference).exists()
    assert AuditEvent.objects.filter(action="timebank.redemption.create", reference=r.reference).exists()
    assert list(discrepancies()) == []


def test_redeeming_more_than_the_balance_is_refused_and_changes_nothing(credited, volunteer, vol_user, service):
    service.hours = Decimal("7")
    service.save()
    with pytest.raises(StateConflict) as exc:
        redeem(actor=vol_user, service_id=service.pk)
    assert exc.value.code == "insufficient_hours"
    assert _balance(volunteer) == Decimal("6.50")
    assert not Redemption.objects.exists()


def test_someone_without_a_volunteer_record_cannot_redeem(service, provider_manager):
    with pytest.raises(NotAllowed):
        redeem(actor=provider_manager, service_id=service.pk)


def test_provider_confirms_and_the_hours_move_to_it(credited, vol_user, service, provider, provider_manager):
    r = redeem(actor=vol_user, service_id=service.pk)
    redemption_confirm(actor=provider_manager, reference=r.reference)
    r.refresh_from_db()
    assert r.status == Redemption.Status.DELIVERED
    received = Account.objects.get(organization=provider, kind=Account.Kind.RECEIVED)
    assert sum(e.amount for e in Entry.objects.filter(account=received)) == Decimal("2.00")
    with pytest.raises(StateConflict):
        redemption_confirm(actor=provider_manager, reference=r.reference)
    assert list(discrepancies()) == []


def test_only_the_providers_manager_answers(credited, vol_user, service, manager, provider):
    r = redeem(actor=vol_user, service_id=service.pk)
    with pytest.raises(NotFound):
        redemption_confirm(actor=manager, reference=r.reference)  # another organization's manager
    clerk = UserFactory(username="clerk")
    OrganizationMember.objects.create(organization=provider, user=clerk, role=OrganizationMember.Role.MEMBER)
    with pytest.raises(NotAllowed):
        redemption_confirm(actor=clerk, reference=r.reference)
    assert Redemption.objects.get(pk=r.pk).status == Redemption.Status.HELD


def test_declining_needs_a_reason_and_releases_the_hold(credited, volunteer, vol_user, service, provider_manager):
    r = redeem(actor=vol_user, service_id=service.pk)
    with pytest.raises(RuleViolation):
        redemption_decline(actor=provider_manager, reference=r.reference, reason=" ")
    redemption_decline(actor=provider_manager, reference=r.reference, reason="本周无理发师")
    assert _balance(volunteer) == Decimal("6.50")
    assert list(discrepancies()) == []


def test_volunteer_cancels_only_their_own(credited, volunteer, vol_user, service, provider_manager):
    r = redeem(actor=vol_user, service_id=service.pk)
    with pytest.raises(NotFound):
        redemption_cancel(actor=provider_manager, reference=r.reference)
    redemption_cancel(actor=vol_user, reference=r.reference)
    assert _balance(volunteer) == Decimal("6.50")


def test_unanswered_redemption_expires_and_is_released(credited, volunteer, vol_user, service):
    r = redeem(actor=vol_user, service_id=service.pk)
    assert expire_redemptions() == 0
    with time_machine.travel(r.due_at + timedelta(minutes=1)):
        assert expire_redemptions() == 1
        assert expire_redemptions() == 0  # idempotent
    assert Redemption.objects.get(pk=r.pk).status == Redemption.Status.EXPIRED
    assert _balance(volunteer) == Decimal("6.50")
    assert list(discrepancies()) == []


def test_a_withdrawn_service_cannot_be_redeemed(credited, vol_user, service, provider_manager):
    service_withdraw(actor=provider_manager, service_id=service.pk)
    with pytest.raises(StateConflict):
        redeem(actor=vol_user, service_id=service.pk)


def test_only_a_manager_publishes_and_hours_must_be_positive(provider, provider_manager, manager):
    with pytest.raises(NotAllowed):
        service_publish(actor=manager, provider_id=provider.pk, title="x", hours="1")
    with pytest.raises(RuleViolation):
        service_publish(actor=provider_manager, provider_id=provider.pk, title="x", hours="-1")
    with pytest.raises(RuleViolation):
        service_publish(actor=provider_manager, provider_id=provider.pk, title=" ", hours="1")


@pytest.fixture
def relative(db):
    user = UserFactory(username="family")
    return volunteer_register(actor=user, user=user, real_name="李大萌", id_number=id_number(2))


def test_family_transfer_is_off_by_default(credited, vol_user, relative):
    with pytest.raises(NotAllowed) as exc:
        hours_transfer(actor=vol_user, to_volunteer_number=relative.volunteer_number,
                       to_id_number=relative.id_number, hours="1", relationship="父亲")
    assert exc.value.code == "transfer_disabled"
    assert not Account.objects.filter(volunteer=relative).exists()


def test_family_transfer_when_enabled(settings, credited, volunteer, vol_user, relative):
    settings.TIMEBANK_FAMILY_TRANSFER = True
    hours_transfer(actor=vol_user, to_volunteer_number=relative.volunteer_number,
                   to_id_number=relative.id_number, hours="1.5", relationship="父亲")
    assert _balance(volunteer) == Decimal("5.00")
    assert _balance(relative) == Decimal("1.50")
    with pytest.raises(StateConflict):
        hours_transfer(actor=vol_user, to_volunteer_number=relative.volunteer_number,
                       to_id_number=relative.id_number, hours="6", relationship="父亲")
    with pytest.raises(RuleViolation):  # the ID number must match the volunteer number
        hours_transfer(actor=vol_user, to_volunteer_number=relative.volunteer_number,
                       to_id_number=id_number(3), hours="1", relationship="父亲")
    assert list(discrepancies()) == []
