"""An applicant organization merged or dissolved (``Organization.status``): its open
application cannot go on, and a place it holds at a base must not stay taken (I3)."""
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.audit.services import audit_record
from engine.cases.errors import DomainError
from engine.cases.services import cancel_open_tasks
from engine.notifications.services import Text

from ..models import ADMITTED, BEFORE_AGREEMENT, IncubationApplication
from .capacity import admit_waiting
from .common import tell_applicant

log = logging.getLogger(__name__)


def close_for_ended_organization(*, application_id, now=None):
    """Close one open application of an organization that is no longer active: not admitted
    yet → rejected; holding a place → exited, and the base's first waiting application takes
    the place. Locked and re-read; an application already final or whose organization is
    active again is left alone (so a repeated call is harmless)."""
    now = now or timezone.now()
    with transaction.atomic():
        case = IncubationApplication.objects.select_for_update().select_related("organization").get(
            pk=application_id)
        if case.status in IncubationApplication.FINAL_STATES or case.organization.is_active:
            return None
        before = case.status
        reason = _("The applying organization is %(status)s; the incubation application has ended.") % {"status": case.organization.get_status_display()}
        if case.status in BEFORE_AGREEMENT:
            case.reject(reason)
            case.closed_at = now
        else:
            case.exit_with_organization(reason, now)
        case.save()
        cancel_open_tasks(case, None)
        audit_record(actor=None, action="incubation.organization_ended", obj=case, reason=reason,
                     before={"status": before}, after={"status": case.status})
        if before in ADMITTED:
            admit_waiting(case.department_id, now=now)
        transaction.on_commit(lambda: tell_applicant(case, Text(gettext_lazy("Incubation application %(reference)s has ended"), reference=case.reference), reason))
    return case


def organization_ended(organization_id) -> int:
    """Every open application of the organization, each in its own transaction."""
    open_ids = list(IncubationApplication.objects.filter(organization_id=organization_id)
                    .exclude(status__in=IncubationApplication.FINAL_STATES).values_list("pk", flat=True))
    closed = 0
    for pk in open_ids:
        try:
            closed += close_for_ended_organization(application_id=pk) is not None
        except DomainError:  # moved meanwhile; the next call sees its new state
            log.exception("incubation application %s not closed after its organization ended", pk)
    return closed
