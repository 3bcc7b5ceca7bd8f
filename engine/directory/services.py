"""Writes on the directory with audit (D4): organizations' lifecycle (merge, dissolve, R9) and
the administrator's changes of departments, organizations and memberships."""
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, RuleViolation
from engine.cases.tasks import refresh_search_naming

from . import rights
from .models import Department, District, Membership, Organization, OrganizationMember, Role


def _check_supervisor(actor, organization):
    """D1: only the organization's own supervising department (or that department's parent)
    ends it; a reviewer of another district's 民政局 may not."""
    if actor.is_superuser:
        return
    supervisor = Department.objects.filter(pk=organization.supervising_department_id).only("pk", "parent_id").first()
    answerable = {supervisor.pk, supervisor.parent_id} - {None} if supervisor is not None else set()
    if not (rights.department_ids(actor, (Role.REVIEWER, Role.HEAD)) & answerable):
        raise NotAllowed(_("Only a reviewer or head of the organization's supervising department (or a department above it) may change the organization's status."))


@transaction.atomic
def organization_end(*, actor, organization: Organization, status: str, successor=None, reason: str):
    """Mark an organization merged or dissolved, naming who takes over its work (R9).

    Requests and disputes addressed to it are routed along the successor chain from then on.
    """
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    _check_supervisor(actor, org)
    if status not in (Organization.Status.MERGED, Organization.Status.DISSOLVED):
        raise RuleViolation(_("The status can only change to “merged” or “dissolved”."))
    if org.status != Organization.Status.ACTIVE:
        raise RuleViolation(_("The organization is no longer active."))
    if not reason:
        raise RuleViolation(_("Please give the reason for the change."), fields={"reason": [_("Required.")]})
    if status == Organization.Status.MERGED and successor is None:
        raise RuleViolation(_("A merger needs a successor organization."), fields={"successor": [_("Required.")]})
    if successor is not None:
        node = successor
        while node is not None:
            if node.pk == org.pk:
                raise RuleViolation(_("Successions cannot form a cycle."))
            node = node.successor
    before = {"status": org.status, "successor": org.successor_id}
    org.status = status
    org.successor = successor
    org.full_clean()
    org.save()
    audit_record(
        actor=actor, action="organization.end", obj=org, reason=reason,
        before=before, after={"status": org.status, "successor": org.successor_id},
    )
    transaction.on_commit(lambda: announce_organization_end(org.pk))
    return org


def announce_organization_end(organization_id):
    """Tell every app that cares (``AppConfig.organization_ended``) so open work addressed to
    the organization moves along its successor chain now rather than at the next sweep."""
    for config in apps.get_app_configs():
        hook = getattr(config, "organization_ended", None)
        if hook is not None:
            hook(organization_id)


def responsible_unit(organization: Organization):
    """R9: the active organization that now answers for ``organization``, or its supervising
    department when the successor chain ends without one. Returns (organization|None, department)."""
    # read the chain from the database: a caller's instance may predate the merge
    node, seen = Organization.objects.filter(pk=organization.pk).first() or organization, set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        if node.status == Organization.Status.ACTIVE:
            return node, node.supervising_department
        if node.successor_id is None:
            return None, node.supervising_department
        node = node.successor
    return None, organization.supervising_department


# --- Administrator's writes (D4): departments (a base's capacity, I3), organizations (their
# standing and funding, P2), who may act (memberships), resident population. The admin calls
# these; each locks the row, checks the right, keeps the model's validation and writes the
# audit event with the fields' values before and after.

def _check_admin_right(actor, instance, verb):
    opts = instance._meta
    if not (actor.is_superuser or actor.has_perm(f"{opts.app_label}.{verb}_{opts.model_name}")):
        raise NotAllowed(_("You do not have the right to change this item."))


def _plain(value):
    return value if value is None or isinstance(value, (bool, int, str)) else str(value)


def _values(instance, fields):
    opts = instance._meta
    return {name: _plain(getattr(instance, opts.get_field(name).attname)) for name in fields}


def _all_fields(instance):
    return [f.name for f in instance._meta.concrete_fields if not f.primary_key]


@transaction.atomic
def directory_save(*, actor, instance, fields=None, reason: str = ""):
    """Create or change a Department, District, Organization, Membership or OrganizationMember
    from the admin. ``fields`` are the changed field names (all on creation). An
    organization's status and successor change only through ``organization_end`` (R9)."""
    model = type(instance)
    if model not in AUDITED_MODELS:
        raise RuleViolation(_("This change is not supported."))
    current = model.objects.select_for_update().filter(pk=instance.pk).first() if instance.pk else None
    _check_admin_right(actor, instance, "change" if current is not None else "add")
    fields = list(fields) if fields is not None and current is not None else _all_fields(instance)
    before = _values(current, fields) if current is not None else {}
    if model is Organization and current is not None and (
            _values(current, ["status", "successor"]) != _values(instance, ["status", "successor"])):
        raise RuleViolation(_("Merge or dissolve an organization by changing its status."))
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise RuleViolation(_("The submitted data is invalid."), fields=exc.message_dict) from None
    instance.save()
    after = _values(instance, fields)
    changed = {k: v for k, v in after.items() if before.get(k, object()) != v} if before else after
    if model is Organization and current is not None and "name" in changed:
        # the organization's cases are found in the queues by its name and show it in their
        # titles: their routes are rewritten once the rename has committed
        transaction.on_commit(lambda: refresh_search_naming.delay("directory", "organization", instance.pk))
    if changed or current is None:
        audit_record(actor=actor, action=f"directory.{model._meta.model_name}.{'change' if current else 'add'}",
                     obj=instance, before={k: before[k] for k in changed if k in before}, after=changed,
                     reason=reason)
    _forget_rights(instance)
    return instance


@transaction.atomic
def directory_delete(*, actor, instance, reason: str = ""):
    """Remove a membership (who may act) from the admin, audited. Departments, districts and
    organizations are not deleted: they are ended (``organization_end``) or deactivated."""
    model = type(instance)
    if model not in (Membership, OrganizationMember):
        raise RuleViolation(_("This item cannot be deleted."))
    current = model.objects.select_for_update().filter(pk=instance.pk).first()
    if current is None:
        return
    _check_admin_right(actor, current, "delete")
    before = _values(current, _all_fields(current))
    audit_record(actor=actor, action=f"directory.{model._meta.model_name}.delete", obj=current, before=before,
                 after={}, reason=reason)
    current.delete()
    _forget_rights(current)


def _forget_rights(instance):
    user = getattr(instance, "user", None)
    if user is not None:
        rights.forget(user)


AUDITED_MODELS = (Department, District, Organization, Membership, OrganizationMember)
