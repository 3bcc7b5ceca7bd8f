"""Writes on the directory: organizations' lifecycle (merge, dissolve) with audit (D4)."""
from django.db import transaction
from django.utils.translation import gettext as _

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, RuleViolation

from . import rights
from .models import Department, Organization


def _check_supervisor(actor, organization):
    """D1: only the organization's own supervising department (or that department's parent)
    ends it; a reviewer of another district's 民政局 may not."""
    if actor.is_superuser:
        return
    supervisor = Department.objects.filter(pk=organization.supervising_department_id).only("pk", "parent_id").first()
    answerable = {supervisor.pk, supervisor.parent_id} - {None} if supervisor is not None else set()
    if not (rights.department_ids(actor, ("reviewer", "head")) & answerable):
        raise NotAllowed(_("只有该组织的业务主管部门（或其上级部门）的审核人、负责人可以变更组织状态。"))


@transaction.atomic
def organization_end(*, actor, organization: Organization, status: str, successor=None, reason: str):
    """Mark an organization merged or dissolved, naming who takes over its work (R9).

    Requests and disputes addressed to it are routed along the successor chain from then on.
    """
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    _check_supervisor(actor, org)
    if status not in (Organization.Status.MERGED, Organization.Status.DISSOLVED):
        raise RuleViolation(_("只能变更为“已合并”或“已注销”。"))
    if org.status != Organization.Status.ACTIVE:
        raise RuleViolation(_("该组织已不是正常状态。"))
    if not reason:
        raise RuleViolation(_("请填写变更原因。"), fields={"reason": [_("必填。")]})
    if status == Organization.Status.MERGED and successor is None:
        raise RuleViolation(_("合并必须指定承接单位。"), fields={"successor": [_("必填。")]})
    if successor is not None:
        node = successor
        while node is not None:
            if node.pk == org.pk:
                raise RuleViolation(_("承接关系不能形成循环。"))
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
    from django.apps import apps

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
