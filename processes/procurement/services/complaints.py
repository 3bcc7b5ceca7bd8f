"""Complaints during the standstill (P7): a bidder files, the department answers, finance decides
an escalated one. Open, escalated and upheld complaints block contracting (the chronograph
checks); after an upheld complaint the department re-does or cancels the purchase.

Every action checks the actor's right before the complaint's or the tender's state, so someone
who is no party learns nothing from the answer: 404 for who may not see the complaint, 403 for
who sees it but may not do this, whatever its state; only then 409 for the state."""
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, NotFound, StateConflict
from engine.directory.models import Membership, OrganizationMember, Role
from engine.notifications.services import Text, notify

from .. import selectors
from ..flows import finance_for
from ..models import Complaint, Tender
from .common import check_acts_for, check_department, check_finance, lock_tender, text


def _tell(tender, title, body, *, department=None, organization=None, roles=(Role.STAFF, Role.REVIEWER, Role.HEAD)):
    """After commit: tell whoever must act next (nothing puts a complaint in a queue)."""
    def send():
        if department is not None:
            users = [m.user for m in Membership.objects.filter(department=department, role__in=roles).select_related("user")]
        else:
            users = [m.user for m in OrganizationMember.objects.filter(organization=organization).select_related("user")]
        if users:
            notify(users, title=Text(title, ref=tender.reference), body=body, kind="procurement",
                   reference=tender.reference, link=tender.get_absolute_url() if department else reverse("portal:section", args=["procurement"]))
    transaction.on_commit(send)


def complaint_file(*, actor, tender_id, organization_id, text: str) -> Complaint:
    """A bidder complains within the period (P7). Membership of the organization is checked
    first, so nobody learns from the answer whether another organization bid (P4)."""
    body = _text(text, "text")
    with transaction.atomic():
        tender = lock_tender(tender_id)
        try:
            check_acts_for(actor, int(organization_id))
        except (TypeError, ValueError):
            raise NotAllowed(_("You are not a member of this organization.")) from None
        bid = tender.bids.filter(organization_id=organization_id, withdrawn_at__isnull=True).select_related("organization").first()
        if bid is None:
            raise NotAllowed(_("Only bidders may complain."))
        if tender.status != Tender.Status.STANDSTILL or timezone.now() >= tender.standstill_end:
            raise StateConflict(_("Not within the standstill period."), code="complaint_period_over")
        complaint = Complaint.objects.create(tender=tender, organization=bid.organization, filed_by=actor, text=body)
        audit_record(actor=actor, action="procurement.complaint.file", obj=tender,
                     after={"complaint": complaint.pk, "status": complaint.status})
        _tell(tender, gettext_lazy("%(ref)s received a complaint; please answer it"), body, department=tender.department)
    return complaint


LABELS = {"text": gettext_lazy("grounds of complaint"), "answer": gettext_lazy("answer"), "reason": pgettext_lazy("procurement", "reason"),
          "decision": pgettext_lazy("procurement", "decision")}


def _text(value, field):
    return text(value, field, label=LABELS[field], required=True)


def _lock(actor, complaint_id, check, *states):
    """Lock tender then complaint; 404 unless the actor may see the complaint, then the
    action's right (``check``), and only then the state."""
    try:
        tender_id = Complaint.objects.values_list("tender_id", flat=True).get(pk=complaint_id)
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such complaint.")) from None
    tender = lock_tender(tender_id)
    complaint = Complaint.objects.select_for_update().select_related("organization").get(pk=complaint_id)
    if not selectors.complaints_visible_to(actor).filter(pk=complaint.pk).exists():
        raise NotFound(_("No such complaint."))
    check(actor, tender, complaint)
    if complaint.status not in states:
        raise StateConflict(_("The complaint is “%(s)s”; this cannot be done now.") % {"s": complaint.get_status_display()},
                            code="complaint_state")
    return tender, complaint


def _save(actor, tender, complaint, before, action, reason="", fields=()):
    complaint.save(update_fields=["status", *fields])
    audit_record(actor=actor, action=f"procurement.complaint.{action}", obj=tender, reason=reason,
                 before={"complaint": complaint.pk, "status": before},
                 after={"complaint": complaint.pk, "status": complaint.status})


def complaint_answer(*, actor, complaint_id, answer: str) -> Complaint:
    """The purchasing department answers an open complaint."""
    answer = _text(answer, "answer")

    def may(user, tender, complaint):
        check_department(user, tender, roles=(Role.STAFF, Role.REVIEWER, Role.HEAD))

    with transaction.atomic():
        tender, complaint = _lock(actor, complaint_id, may, Complaint.Status.OPEN)
        complaint.status, complaint.answer, complaint.answered_by = Complaint.Status.ANSWERED, answer, actor
        _save(actor, tender, complaint, Complaint.Status.OPEN, "answer", fields=("answer", "answered_by"))
        _tell(tender, gettext_lazy("The complaint about %(ref)s has been answered"), answer, organization=complaint.organization)
    return complaint


def complaint_escalate(*, actor, complaint_id, reason: str) -> Complaint:
    """The complainant, unsatisfied with the answer, takes it to finance while still in standstill."""
    reason = _text(reason, "reason")

    def may(user, tender, complaint):
        check_acts_for(user, complaint.organization)

    with transaction.atomic():
        tender, complaint = _lock(actor, complaint_id, may, Complaint.Status.ANSWERED)
        if tender.status != Tender.Status.STANDSTILL:
            raise StateConflict(_("The standstill period is over."), code="complaint_period_over")
        complaint.status = Complaint.Status.ESCALATED
        _save(actor, tender, complaint, Complaint.Status.ANSWERED, "escalate", reason)
        _tell(tender, gettext_lazy("The complaint about %(ref)s has been escalated to the finance bureau"), reason, department=finance_for(tender.department),
              roles=(Role.REVIEWER, Role.HEAD))
    return complaint


def complaint_decide(*, actor, complaint_id, upheld: bool, decision: str) -> Complaint:
    """Finance decides an escalated complaint; an upheld one keeps blocking contracting."""
    decision = _text(decision, "decision")

    def may(user, tender, complaint):
        check_finance(user, tender)

    with transaction.atomic():
        tender, complaint = _lock(actor, complaint_id, may, Complaint.Status.ESCALATED)
        complaint.status = Complaint.Status.UPHELD if upheld else Complaint.Status.DISMISSED
        complaint.decision, complaint.decided_by = decision, actor
        _save(actor, tender, complaint, Complaint.Status.ESCALATED, "decide", decision, fields=("decision", "decided_by"))
        _tell(tender, gettext_lazy("The complaint about %(ref)s has been decided"), decision, organization=complaint.organization)
        _tell(tender, gettext_lazy("The complaint about %(ref)s has been decided"), decision, department=tender.department)
    return complaint
