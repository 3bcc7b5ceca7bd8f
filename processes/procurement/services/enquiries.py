"""Enquiries during the enquiry period (P10): a registered organization asks, the purchasing
department answers, and the answer is published (tender page, OCDS ``tender.enquiries``).

Questions are taken only while the tender is published and its enquiry period runs (between
publication and ``enquiry_end``); answers until the bidding deadline, so every bidder can use
them. Each answer is due on the working-day calendar (D2) a few working days after the
question, and never later than the bidding deadline. The asker's organization is kept for the
department and the audit trail; nothing published names it (P4 keeps who takes part secret)."""
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, NotFound, StateConflict
from engine.directory import rights
from engine.directory.models import Membership, Organization, Role
from engine.notifications.services import notify
from engine.workdays.calendar import add_working_days

from .. import conf, selectors
from ..models import Enquiry, Tender
from .common import check_department, lock_tender, text

TITLE_LIMIT = 200
LABELS = {"title": gettext_lazy("subject"), "question": gettext_lazy("question"), "answer": gettext_lazy("answer")}
ANSWERING_ROLES = (Role.STAFF, Role.REVIEWER, Role.HEAD)


def enquiry_period_open(tender: Tender, now=None) -> bool:
    """P10: questions are taken from publication until the end of the enquiry period."""
    now = now or timezone.now()
    return tender.status == Tender.Status.PUBLISHED and tender.published_at is not None and now < tender.enquiry_end


def answering_open(tender: Tender, now=None) -> bool:
    """Answers are published until the bidding deadline (afterwards no bidder can use them)."""
    now = now or timezone.now()
    return tender.status in (Tender.Status.PUBLISHED, Tender.Status.TENDERING) and now < tender.tender_end


def ask_problem(tender: Tender, organization: Organization, *, member: bool, invited: bool) -> str:
    """Why a user may not ask about ``tender`` for ``organization``, or '' when they may: a
    ``member`` of a registered, active organization; for an invitation-only tender (P3), an
    ``invited`` one. Pure, so a page can ask it for each of a user's organizations."""
    if not member:
        return _("You are not a member of this organization.")
    if not organization.registered or organization.status != Organization.Status.ACTIVE:
        return _("Only registered, active organizations may ask questions about a tender.")
    if tender.by_invitation and not invited:
        return _("Only the invited organizations may ask questions about this tender.")
    return ""


def _due(now, tender):
    """D2: the working-day calendar's due time, capped at the bidding deadline."""
    due, provisional = add_working_days(now, conf.enquiry_answer_working_days())
    if due > tender.tender_end:
        return tender.tender_end, False
    return due, provisional


def enquiry_ask(*, actor, tender_id, organization_id, title: str, question: str) -> Enquiry:
    """An organization's member asks during the enquiry period (P10). The right is checked
    before the period, so nobody learns more about a tender than its public page says; then the
    department's staff are told after commit."""
    title = text(title, "title", label=LABELS["title"], required=True, limit=TITLE_LIMIT)
    question = text(question, "question", label=LABELS["question"], required=True)
    with transaction.atomic():
        tender = lock_tender(tender_id)
        if tender.published_at is None:
            raise NotFound(_("No such tender."))
        organization = Organization.objects.filter(pk=organization_id).first() if str(organization_id).isdigit() else None
        if organization is None:
            raise NotAllowed(_("You are not a member of this organization."))
        problem = ask_problem(tender, organization, member=rights.acts_for(actor, organization),
                              invited=tender.invitees.filter(pk=organization.pk).exists())
        if problem:
            raise NotAllowed(problem)
        now = timezone.now()
        if not enquiry_period_open(tender, now):
            raise StateConflict(_("The enquiry period of this tender has ended; questions are no longer accepted."),
                                code="enquiry_period_over")
        due, provisional = _due(now, tender)
        enquiry = Enquiry.objects.create(tender=tender, organization=organization, asked_by=actor, title=title,
                                         question=question, asked_at=now, due_at=due, due_provisional=provisional)
        audit_record(actor=actor, action="procurement.enquiry.ask", obj=tender,
                     after={"enquiry": enquiry.pk, "organization": organization.pk, "due_at": due})
        _tell_department(tender, enquiry)
    return enquiry


def enquiry_answer(*, actor, enquiry_id, answer: str) -> Enquiry:
    """The purchasing department (clerk, reviewer or head; no party of the tender, D3) answers
    an enquiry once, before the bidding deadline; the answer is public from then on."""
    answer = text(answer, "answer", label=LABELS["answer"], required=True)
    with transaction.atomic():
        try:
            tender_id = Enquiry.objects.values_list("tender_id", flat=True).get(pk=enquiry_id)
        except (Enquiry.DoesNotExist, ValueError, TypeError):
            raise NotFound(_("No such enquiry.")) from None
        tender = lock_tender(tender_id)  # lock order: the tender, then its enquiry
        enquiry = Enquiry.objects.select_for_update().get(pk=enquiry_id)
        if not selectors.enquiries_visible_to(actor).filter(pk=enquiry.pk).exists():
            raise NotFound(_("No such enquiry."))  # an unanswered question is no outsider's business
        check_department(actor, tender, roles=ANSWERING_ROLES)
        if enquiry.is_answered:
            raise StateConflict(_("This enquiry has already been answered."), code="enquiry_answered")
        now = timezone.now()
        if not answering_open(tender, now):
            raise StateConflict(_("The bidding deadline has passed; enquiries can no longer be answered."),
                                code="enquiry_answer_closed")
        enquiry.answer, enquiry.answered_by, enquiry.answered_at = answer, actor, now
        enquiry.save(update_fields=["answer", "answered_by", "answered_at"])
        # P10: a published answer changes the tender's release, so it gets a new id and date
        Tender.objects.filter(pk=tender.pk).update(updated_at=now)
        audit_record(actor=actor, action="procurement.enquiry.answer", obj=tender,
                     before={"enquiry": enquiry.pk, "answered": False},
                     after={"enquiry": enquiry.pk, "answered": True})
        _tell_asker(tender, enquiry)
    return enquiry


def enquiries_remind_overdue(now=None) -> int:
    """D2: tell the purchasing department, once per enquiry, that an answer is overdue (the
    chronograph sweeps this). Claiming ``reminded_at`` with a conditional update makes a second
    sweep, or two at once, send nothing more."""
    now = now or timezone.now()
    due = Enquiry.objects.filter(answered_at__isnull=True, reminded_at__isnull=True, due_at__lt=now,
                                 tender__status__in=(Tender.Status.PUBLISHED, Tender.Status.TENDERING))
    sent = 0
    for enquiry in due.select_related("tender"):
        with transaction.atomic():
            if not Enquiry.objects.filter(pk=enquiry.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            _tell_department(enquiry.tender, enquiry, overdue=True)
        sent += 1
    return sent


def _tell_department(tender, enquiry, *, overdue=False):
    def send():
        users = [m.user for m in Membership.objects.filter(department_id=tender.department_id, role__in=ANSWERING_ROLES)
                 .select_related("user")]
        if users:
            title = (_("An enquiry about %(ref)s is overdue; please answer it") if overdue
                     else _("%(ref)s received an enquiry; please answer it"))
            notify(users, title=title % {"ref": tender.reference},
                   body=enquiry.title, kind="procurement", reference=tender.reference,
                   link=reverse("procurement:enquiries") + f"?tender={tender.reference}")
    transaction.on_commit(send)


def _tell_asker(tender, enquiry):
    def send():
        notify([enquiry.asked_by], title=_("Your enquiry about %(ref)s has been answered") % {"ref": tender.reference},
               body=enquiry.title, kind="procurement", reference=tender.reference,
               link=reverse("procurement_portal:tender", args=[tender.reference]) + f"#enquiry-{enquiry.pk}")
    transaction.on_commit(send)
