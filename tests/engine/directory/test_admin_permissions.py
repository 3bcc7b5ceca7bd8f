"""D7: the permission pickers of a group and of a user name each permission in the reader's
language, though the database keeps the English names composed at migrate time."""
import pytest
from django.contrib.admin.sites import site
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.utils import translation

from engine.directory.admin import permission_label
from engine.directory.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _permission(label):
    app_label, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@pytest.mark.parametrize(("label", "chinese", "english"), [
    ("certification.add_volunteer", "可增加志愿者", "Can add Volunteer"),
    ("auth.view_group", "可查看组", "Can view group"),
    ("incubation.manage_incubationprocess", "可管理", "Can manage incubation process"),  # viewflow's own
])
def test_a_default_permission_reads_in_the_chosen_language(label, chinese, english):
    permission = _permission(label)
    assert permission.name.startswith("Can ")  # as stored
    with translation.override("zh-hans"):
        assert chinese in permission_label(permission) and "Can" not in permission_label(permission)
    with translation.override("en"):
        assert permission_label(permission).endswith(english)


def test_another_permission_is_looked_up_by_its_stored_name():
    permission = Permission.objects.create(content_type=_permission("auth.view_group").content_type,
                                           codename="audit_group", name="Change")
    with translation.override("zh-hans"):
        assert permission_label(permission).endswith("| 修改")


@pytest.mark.parametrize(("model", "field"), [(Group, "permissions"), (User, "user_permissions")])
def test_the_group_and_user_pickers_use_the_translated_labels(model, field):
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    with translation.override("zh-hans"):
        form = site._registry[model].get_form(request, None if model is Group else request.user)()
        labels = [label for _value, label in form.fields[field].choices]
    assert labels and not any("| Can " in str(label) for label in labels)
