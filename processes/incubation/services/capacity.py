"""A base never admits beyond its capacity (I3).

Every admission locks the base's ``Department`` row first and then counts the applications
that occupy a place, so two approvals at the same moment queue on that row and the second
sees the first's admission. Lock order everywhere: task route → application → base row →
waiting applications (``skip_locked``, so one being withdrawn is passed over, not waited on).
"""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.audit.services import audit_record
from engine.cases.services import run_handle
from engine.directory.models import Department
from engine.notifications.services import Text

from ..flows import IncubationFlow
from ..models import ADMITTED, IncubationApplication, Status
from .common import tell_applicant


def lock_base(base_id) -> Department:
    return Department.objects.select_for_update().get(pk=base_id)


def admitted_count(base) -> int:
    return IncubationApplication.objects.filter(department=base, status__in=ADMITTED).count()


def has_waiting(base) -> bool:
    return IncubationApplication.objects.filter(department=base, status=Status.WAITLISTED).exists()


def admit_waiting(base_id, *, actor=None, now=None) -> list:
    """Fill free places at the base from its waiting list, first approved first (I3).

    Call after a case has left the admitted states and been saved, inside the same
    transaction. Returns the admitted applications.
    """
    now = now or timezone.now()
    admitted = []
    with transaction.atomic():
        base = lock_base(base_id)
        free = (base.capacity or 0) - admitted_count(base)
        while free > 0:
            case = (
                IncubationApplication.objects.select_for_update(skip_locked=True)
                .filter(department=base, status=Status.WAITLISTED).order_by("approved_at", "pk").first()
            )
            if case is None:
                break
            case.admit(now)
            case.save()
            run_handle(case, IncubationFlow.wait_for_place)
            audit_record(actor=actor, action="incubation.admit", obj=case,
                         before={"status": Status.WAITLISTED}, after={"status": case.status},
                         reason=_("A place at the base is free; admitted in order of approval"))
            transaction.on_commit(lambda c=case: tell_applicant(
                c, Text(gettext_lazy("Incubation application %(reference)s has a place; please wait for the incubation agreement"), reference=c.reference)))
            admitted.append(case)
            free -= 1
    return admitted
