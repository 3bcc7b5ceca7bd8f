"""Admin: base settings are editable and audited; applications are read-only."""
import pytest

from engine.audit.models import AuditEvent
from engine.cases.errors import NotAllowed
from engine.directory.models import Department
from processes.incubation.models import IncubationBaseSettings
from processes.incubation.services import base_settings_save
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_base_settings_change_is_audited_and_applications_read_only(client, base, submitted):
    admin_user = UserFactory(username="inc_admin", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    r = client.post("/admin/incubation/incubationbasesettings/add/", {
        "base": base.pk, "period_months": 6, "pass_mark": "70", "expert_count": 5, "extension_limit": 2,
        "graduation_pass_mark": "65"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert IncubationBaseSettings.for_base(base).expert_count == 5
    event = AuditEvent.objects.get(action="incubation.base_settings.change")
    assert event.after["period_months"] == 6 and event.actor == admin_user
    assert client.get("/admin/incubation/incubationapplication/").status_code == 200
    page = client.get(f"/admin/incubation/incubationapplication/{submitted.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()


def test_defaults_come_from_settings_through_conf(base, settings):
    assert IncubationBaseSettings.for_base(base).period_months == 12
    settings.INCUBATION_EXPERT_COUNT = 4
    settings.INCUBATION_MIDTERM_ENABLED = True
    unsaved = IncubationBaseSettings.for_base(base)
    assert (unsaved.expert_count, unsaved.midterm_enabled, unsaved.pk) == (4, True, base.pk)


def test_base_of_stored_settings_cannot_be_changed(client, base):
    admin_user = UserFactory(username="inc_admin2", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    IncubationBaseSettings.objects.create(base=base, period_months=9)
    other = Department.objects.get(code="base-jinshui")
    r = client.post(f"/admin/incubation/incubationbasesettings/{base.pk}/change/", {
        "base": other.pk, "period_months": 10, "pass_mark": "60", "expert_count": 3, "extension_limit": 1,
        "graduation_pass_mark": "60"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert IncubationBaseSettings.objects.get(base=base).period_months == 10
    assert not IncubationBaseSettings.objects.filter(base=other).exists()


def test_base_settings_writes_need_the_right_and_refusals_change_nothing(base):
    clerk = UserFactory(username="inc_clerk", is_staff=True)
    with pytest.raises(NotAllowed):
        base_settings_save(actor=clerk, base_settings=IncubationBaseSettings(base=base, period_months=3))
    assert not IncubationBaseSettings.objects.filter(base=base).exists()
    assert not AuditEvent.objects.filter(action="incubation.base_settings.change").exists()
