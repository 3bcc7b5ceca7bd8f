"""Commendations (通报表扬, seed 二(四)) of volunteers and organizations by a department.

CM1 Staff and heads of a department commend, in the name of that department; reviewers and
everyone else may not. A commendation names one volunteer or one organization, a title, the
reason and the day; the commended (the volunteer's account, the organization's managers) is
told. CM2 A commendation is not deleted: staff or heads of the same department revoke it with a
reason, and it leaves the portal and later certificates (certificates issued before keep it, as
they are signed, R10). Both are audited.
"""
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.directory import rights
from engine.directory.models import Department, Role
from engine.notifications.services import Text, notify

from ..models import Commendation
from .inputs import TEXT_MAX_LENGTH, bounded_text
from .registry import _clean
from .routing import organization_managers

COMMENDING_ROLES = (Role.STAFF, Role.HEAD)


def may_commend(user, department) -> bool:
    """CM1: staff and heads of ``department`` (a Department or its id), and administrators."""
    return bool(user.is_authenticated and (user.is_superuser or rights.has_any_role(user, department, COMMENDING_ROLES)))


def commending_departments(user):
    """The departments ``user`` may commend in the name of (CM1)."""
    if user.is_superuser:
        return Department.objects.order_by("name")
    return Department.objects.filter(pk__in=rights.department_ids(user, roles=COMMENDING_ROLES)).order_by("name")


def _notify_commended(commendation):
    if commendation.volunteer_id:
        users = [commendation.volunteer.user] if commendation.volunteer.user_id else []
    else:
        users = organization_managers(commendation.organization)
    link = reverse("portal:section", args=["certification"])
    notify(users, kind="certification.commendation", reference="",
           title=Text(gettext_lazy("Commended by %(department)s: %(title)s"),
                      department=commendation.department.name, title=commendation.title),
           body=commendation.reason[:500], link=link)


@transaction.atomic
def commendation_create(*, actor, department, title, reason, commended_on, volunteer=None, organization=None,
                        document_number="") -> Commendation:
    """CM1: a department's commendation of one volunteer or one organization; the commended is
    told (notify queues mail and text after the commit). Audited."""
    # the department is only read (a row every case shares): not locked (lock order, engine/cases/services.py)
    department = Department.objects.filter(pk=getattr(department, "pk", department)).first()
    if department is None:
        raise NotFound(_("No such department."))
    if not may_commend(actor, department):
        raise NotAllowed(_("Only staff and heads of a department can commend in its name."))
    if (volunteer is None) == (organization is None):
        raise RuleViolation(_("Name either one volunteer or one organization."),
                            fields={"volunteer": [_("Name either one volunteer or one organization.")]})
    if commended_on is not None and commended_on > timezone.localdate():
        raise RuleViolation(_("The day of the commendation cannot be in the future."),
                            fields={"commended_on": [_("Date out of range.")]})
    commendation = Commendation(
        department=department, volunteer=volunteer, organization=organization, title=(title or "").strip(),
        reason=bounded_text(reason, "reason", TEXT_MAX_LENGTH).strip(), commended_on=commended_on, document_number=(document_number or "").strip(),
        issued_by=actor,
    )
    _clean(commendation)
    commendation.save()
    audit_record(actor=actor, action="certification.commendation.create", obj=commendation,
                 after={"department": department.pk, "volunteer": getattr(volunteer, "pk", None),
                        "organization": getattr(organization, "pk", None), "title": commendation.title,
                        "commended_on": commended_on})
    _notify_commended(commendation)
    return commendation


@transaction.atomic
def commendation_revoke(*, actor, commendation, reason) -> Commendation:
    """CM2: staff or heads of the commending department revoke it with a reason. Audited."""
    commendation = Commendation.objects.select_for_update(of=("self",)).select_related(
        "department", "volunteer", "organization").filter(pk=getattr(commendation, "pk", commendation)).first()
    if commendation is None:
        raise NotFound(_("No such commendation."))
    if not may_commend(actor, commendation.department):
        raise NotAllowed(_("Only staff and heads of the commending department can revoke it."))
    if commendation.is_revoked:
        raise StateConflict(_("This commendation has already been revoked."))
    reason = bounded_text((reason or "").strip(), "reason")  # the revocation reason's column (REASON_MAX_LENGTH)
    if not reason:
        raise RuleViolation(_("Give the reason for the revocation."), fields={"reason": [_("Required.")]})
    commendation.revoked_at, commendation.revoked_by, commendation.revoke_reason = timezone.now(), actor, reason
    commendation.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit_record(actor=actor, action="certification.commendation.revoke", obj=commendation,
                 before={"revoked": False}, after={"revoked": True}, reason=reason)
    return commendation
