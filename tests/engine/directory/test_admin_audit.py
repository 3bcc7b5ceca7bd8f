"""Issue #12: the administrator's writes of the directory — a base's capacity (I3), an
organization's standing and funding (P2), who may act (memberships), the calendar and a
base's incubation settings — go through audited services; the admin writes no audit event
itself, and a refused write changes nothing."""
import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from engine.audit.models import AuditEvent
from engine.cases.errors import NotAllowed, RuleViolation
from engine.directory.models import Department, Membership, Organization, OrganizationMember
from engine.directory.services import directory_delete, directory_save
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _form_data(user, obj, **changes):
    """What the admin's change page posts for ``obj`` (its inlines unchanged), with ``changes``."""
    admin = site._registry[type(obj)]
    request = RequestFactory().get("/")
    request.user = user
    form = admin.get_form(request, obj)(instance=obj)
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = value if not isinstance(value, (list, tuple)) else list(value)
    for formset, _inline in admin.get_formsets_with_inlines(request, obj):
        fs = formset(instance=obj, prefix=formset.get_default_prefix())
        data.update({f"{fs.prefix}-TOTAL_FORMS": str(len(fs.forms)), f"{fs.prefix}-INITIAL_FORMS": str(fs.initial_form_count()),
                     f"{fs.prefix}-MIN_NUM_FORMS": "0", f"{fs.prefix}-MAX_NUM_FORMS": "1000"})
        for sub in fs.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value not in (None, False):
                    data[sub.add_prefix(name)] = value.pk if hasattr(value, "pk") else value
    data.update(changes)
    return data


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_admin_changing_a_bases_capacity_is_audited_I3(client, root):
    base = Department.objects.get(code="base-city")
    before = base.capacity
    client.force_login(root)
    res = client.post(f"/admin/directory/department/{base.pk}/change/", _form_data(root, base, capacity=before + 5))
    assert res.status_code == 302, res.content.decode()[:3000]
    base.refresh_from_db()
    assert base.capacity == before + 5
    event = AuditEvent.objects.get(action="directory.department.change", object_id=str(base.pk))
    assert (event.actor, event.before, event.after) == (root, {"capacity": before}, {"capacity": before + 5})


def test_admin_changing_standing_and_funding_is_audited_P2(client, root):
    org = OrganizationFactory()
    client.force_login(root)
    res = client.post(f"/admin/directory/organization/{org.pk}/change/",
                      _form_data(root, org, good_standing="", fiscal_funded="on"))
    assert res.status_code == 302, res.content.decode()[:3000]
    org.refresh_from_db()
    assert (org.good_standing, org.fiscal_funded) == (False, True)
    event = AuditEvent.objects.get(action="directory.organization.change", object_id=str(org.pk))
    assert event.before == {"good_standing": True, "fiscal_funded": False}
    assert event.after == {"good_standing": False, "fiscal_funded": True}


def test_admin_adding_and_removing_a_manager_is_audited(client, root):
    org = OrganizationFactory()
    user = UserFactory()
    client.force_login(root)
    data = _form_data(root, org)
    prefix = "organizationmember_set"
    data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-0-user": user.pk, f"{prefix}-0-role": "manager"})
    res = client.post(f"/admin/directory/organization/{org.pk}/change/", data)
    assert res.status_code == 302, res.content.decode()[:3000]
    member = OrganizationMember.objects.get(organization=org, user=user)
    added = AuditEvent.objects.get(action="directory.organizationmember.add")
    assert added.after["role"] == "manager" and added.after["user"] == user.pk
    data = _form_data(root, org)
    data[f"{prefix}-0-DELETE"] = "on"
    assert client.post(f"/admin/directory/organization/{org.pk}/change/", data).status_code == 302
    assert not OrganizationMember.objects.filter(pk=member.pk).exists()
    removed = AuditEvent.objects.get(action="directory.organizationmember.delete")
    assert removed.before["user"] == user.pk and removed.after == {}


def test_department_memberships_from_the_user_admin_are_audited(client, root):
    user = UserFactory()
    client.force_login(root)
    data = _form_data(root, user)
    joined = data.pop("date_joined")  # a split date and time widget
    data.update({"date_joined_0": joined.date().isoformat(), "date_joined_1": "00:00:00"})
    prefix = "memberships"
    dept = Department.objects.get(code="mca-jinshui")
    data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-0-department": dept.pk, f"{prefix}-0-role": "reviewer"})
    res = client.post(f"/admin/directory/user/{user.pk}/change/", data)
    assert res.status_code == 302, res.content.decode()[:3000]
    assert Membership.objects.filter(user=user, department=dept, role="reviewer").exists()
    assert AuditEvent.objects.get(action="directory.membership.add").after["department"] == dept.pk


def test_refused_directory_writes_change_nothing(root):
    org = OrganizationFactory()
    clerk = UserFactory(is_staff=True)  # no model permission
    org.good_standing = False
    with pytest.raises(NotAllowed):
        directory_save(actor=clerk, instance=org, fields=["good_standing"])
    org.refresh_from_db()
    assert org.good_standing is True
    org.status = Organization.Status.DISSOLVED  # ending goes through organization_end (R9)
    with pytest.raises(RuleViolation):
        directory_save(actor=root, instance=org, fields=["status"])
    org.refresh_from_db()
    assert org.status == Organization.Status.ACTIVE
    with pytest.raises(RuleViolation):  # departments are not deleted
        directory_delete(actor=root, instance=Department.objects.get(code="base-city"))
    assert Department.objects.filter(code="base-city").exists()
    assert not AuditEvent.objects.filter(action__startswith="directory.").exists()


def test_the_admin_offers_no_delete_of_departments_or_organizations(client, root):
    org = OrganizationFactory()
    client.force_login(root)
    assert client.get(f"/admin/directory/organization/{org.pk}/delete/").status_code == 403
    assert Organization.objects.filter(pk=org.pk).exists()
