"""Complaints during the standstill (P7): a bidder files, the department answers, finance decides
an escalated one. Open, escalated and upheld complaints block contracting (the chronograph
checks); after an upheld complaint the department re-does or cancels the purchase."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.directory.models import Membership, OrganizationMember, Role
from engine.notifications.services import notify

from ..models import Complaint
from ..flows import finance_for
from .common import check_acts_for, check_department, check_finance, lock_tender


def _tell(tender, title, body, *, department=None, organization=None, roles=(Role.STAFF, Role.REVIEWER, Role.HEAD)):
    """After commit: tell whoever must act next (nothing puts a complaint in a queue)."""
    def send():
        if department is not None:
            users = [m.user for m in Membership.objects.filter(department=department, role__in=roles).select_related("user")]
        else:
            users = [m.user for m in OrganizationMember.objects.filter(organization=organization).select_related("user")]
        if users:
            notify(users, title=title % {"ref": tender.reference}, body=body, kind="procurement",
                   reference=tender.reference, link=f"/workbench/procurement/{tender.reference}/" if department else "/portal/")
    transaction.on_commit(send)


def _need(text, field):
    if not (text or "").strip():
        raise RuleViolation(_("请填写%(field)s。") % {"field": field}, fields={field: [_("必填。")]})


def complaint_file(*, actor, tender_id, organization_id, text: str) -> Complaint:
    """A bidder complains within the period (P7)."""
    _need(text, "text")
    with transaction.atomic():
        tender = lock_tender(tender_id)
        bid = tender.bids.filter(organization_id=organization_id, withdrawn_at__isnull=True).select_related("organization").first()
        if bid is None:
            raise NotAllowed(_("只有投标人可以提出质疑。"))
        check_acts_for(actor, bid.organization)
        if tender.status != "standstill" or timezone.now() >= tender.standstill_end:
            raise StateConflict(_("不在质疑期内（P7）。"), code="complaint_period_over")
        complaint = Complaint.objects.create(tender=tender, organization=bid.organization, filed_by=actor, text=text)
        audit_record(actor=actor, action="procurement.complaint.file", obj=tender,
                     after={"complaint": complaint.pk, "status": complaint.status})
        _tell(tender, _("%(ref)s 收到质疑，请答复"), text, department=tender.department)
    return complaint


def _lock(complaint_id, *states):
    try:
        tender_id = Complaint.objects.values_list("tender_id", flat=True).get(pk=complaint_id)
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("质疑不存在。")) from None
    tender = lock_tender(tender_id)
    complaint = Complaint.objects.select_for_update().get(pk=complaint_id)
    if complaint.status not in states:
        raise StateConflict(_("该质疑当前状态为“%(s)s”，不能办理此操作。") % {"s": complaint.get_status_display()})
    return tender, complaint


def _save(actor, tender, complaint, before, action, reason="", fields=()):
    complaint.save(update_fields=["status", *fields])
    audit_record(actor=actor, action=f"procurement.complaint.{action}", obj=tender, reason=reason,
                 before={"complaint": complaint.pk, "status": before},
                 after={"complaint": complaint.pk, "status": complaint.status})


def complaint_answer(*, actor, complaint_id, answer: str) -> Complaint:
    """The purchasing department answers an open complaint."""
    _need(answer, "answer")
    with transaction.atomic():
        tender, complaint = _lock(complaint_id, Complaint.Status.OPEN)
        check_department(actor, tender, roles=("staff", "reviewer", "head"))
        complaint.status, complaint.answer, complaint.answered_by = Complaint.Status.ANSWERED, answer, actor
        _save(actor, tender, complaint, "open", "answer", fields=("answer", "answered_by"))
        _tell(tender, _("%(ref)s 的质疑已答复"), answer, organization=complaint.organization)
    return complaint


def complaint_escalate(*, actor, complaint_id, reason: str) -> Complaint:
    """The complainant, unsatisfied with the answer, takes it to finance while still in standstill."""
    _need(reason, "reason")
    with transaction.atomic():
        tender, complaint = _lock(complaint_id, Complaint.Status.ANSWERED)
        check_acts_for(actor, complaint.organization)
        if tender.status != "standstill":
            raise StateConflict(_("质疑期已结束。"))
        complaint.status = Complaint.Status.ESCALATED
        _save(actor, tender, complaint, "answered", "escalate", reason)
        _tell(tender, _("%(ref)s 的质疑已提交财政局处理"), reason, department=finance_for(tender.department),
              roles=(Role.REVIEWER, Role.HEAD))
    return complaint


def complaint_decide(*, actor, complaint_id, upheld: bool, decision: str) -> Complaint:
    """Finance decides an escalated complaint; an upheld one keeps blocking contracting."""
    _need(decision, "decision")
    with transaction.atomic():
        tender, complaint = _lock(complaint_id, Complaint.Status.ESCALATED)
        check_finance(actor, tender)
        complaint.status = Complaint.Status.UPHELD if upheld else Complaint.Status.DISMISSED
        complaint.decision, complaint.decided_by = decision, actor
        _save(actor, tender, complaint, "escalated", "decide", decision, fields=("decision", "decided_by"))
        _tell(tender, _("%(ref)s 的投诉已处理"), decision, organization=complaint.organization)
        _tell(tender, _("%(ref)s 的投诉已处理"), decision, department=tender.department)
    return complaint
