"""Contract, milestones, payments and the performance evaluation (P8, P9).

Lock order everywhere: tender row, then budget line, then contract-level rows, so payment
approvals and contract changes on one tender queue up instead of deadlocking.
"""
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from engine.audit.services import audit_record
from engine.cases.errors import NotFound, RuleViolation, StateConflict
from engine.cases.services import case_step, case_transition, run_handle
from engine.directory.models import Membership, OrganizationMember
from engine.documents.services import require_documents
from engine.notifications.services import Text, notify

from .. import conf
from ..flows import TenderFlow, finance_for
from ..models import Contract, Milestone, Payment, PerformanceEvaluation, Tender
from .common import (
    a_date,
    check_acts_for,
    check_department,
    check_finance,
    line_move,
    lock_tender,
    money,
    number,
    release_commitment,
    text,
)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def contract_sign(*, actor, task_id, reason="", data=None) -> Tender:
    """P8: the contract with the awarded organization, term ≤ 1 year (≤ 3 when recurring), at
    most the awarded price; it is published at signing and the unused commitment is released."""
    data = data or {}
    amount = money(data.get("amount"))
    start, end = a_date(data.get("start_date"), "start_date"), a_date(data.get("end_date"), "end_date")
    with case_step(task_id=task_id, actor=actor, decision="sign", reason=reason) as step:
        tender = step.case
        years = conf.contract_max_years(tender.recurring)
        if end <= start or end > _add_years(start, years):
            raise RuleViolation(
                ngettext("The contract may not run longer than %(n)s year.", "The contract may not run longer than %(n)s years.", years) % {"n": years}, fields={"end_date": [_("Too long.")]}
            )
        require_documents(tender, "procurement.contract")  # P8: the written contract
        bid = tender.awarded_bid
        if amount > bid.price:
            raise RuleViolation(_("The contract amount may not exceed the winning price."), fields={"amount": [_("Above the winning price.")]})
        contract = Contract.objects.create(
            tender=tender, organization=bid.organization, amount=amount, start_date=start,
            end_date=end, signed_by=actor,
        )
        surplus = tender.committed_amount - amount
        if surplus:
            line_move(tender.budget_line_id, committed=-surplus)
            tender.committed_amount = amount
        tender.sign_contract()
        step.audit_after.update({"contract": contract.pk, "amount": amount, "released": surplus})
    return step.case


def _tell(tender, title, amount, *, department=None, organization=None, body=""):
    """After commit: payment requests reach the 财政局's reviewers, decisions the organization
    (a payment is no queue task, so this is how each side learns of it)."""
    text = Text(title, ref=tender.reference, amount=amount)

    def send():
        if department is not None:
            users = [m.user for m in Membership.objects.filter(department=department, role__in=("reviewer", "head"))
                     .select_related("user")]
        else:
            users = [m.user for m in OrganizationMember.objects.filter(organization=organization).select_related("user")]
        if users:
            notify(users, title=text, body=body or tender.name, kind="procurement", reference=tender.reference,
                   link=tender.get_absolute_url() if department is not None else reverse("portal:section", args=["procurement"]))
    transaction.on_commit(send)


def _touch(tender):
    """The tender's published release changes with its milestones and payments (P10): a new
    ``updated_at`` gives the OCDS release a new id and date."""
    Tender.objects.filter(pk=tender.pk).update(updated_at=timezone.now())


def _contract(tender_id) -> tuple[Tender, Contract]:
    tender = lock_tender(tender_id)
    if tender.status != Tender.Status.DELIVERY:
        raise StateConflict(_("The tender is not in delivery."))
    return tender, tender.contract


def milestone_add(*, actor, tender_id, name: str, due_date, amount) -> Milestone:
    """The department plans a deliverable; planned milestones never exceed the contract."""
    amount = money(amount)
    name = text(name, "name", label=_("the milestone name"), required=True, limit=Milestone._meta.get_field("name").max_length)
    with transaction.atomic():
        tender, contract = _contract(tender_id)
        check_department(actor, tender)
        planned = contract.milestones.aggregate(s=Sum("amount"))["s"] or Decimal("0")
        if planned + amount > contract.amount:
            raise RuleViolation(_("The milestones' amounts together may not exceed the contract amount."), fields={"amount": [_("Above the contract amount.")]})
        milestone = Milestone.objects.create(contract=contract, name=name, amount=amount,
                                             due_date=a_date(due_date, "due_date"))
        _touch(tender)
        audit_record(actor=actor, action="procurement.milestone.add", obj=tender,
                     after={"milestone": milestone.pk, "amount": amount})
    return milestone


def _milestone(milestone_id) -> Milestone:
    try:
        return Milestone.objects.select_related("contract").get(pk=milestone_id)
    except (Milestone.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such milestone.")) from None


def milestone_accept(*, actor, milestone_id) -> Milestone:
    """The department accepts a delivered milestone; only then may it be paid (P8)."""
    with transaction.atomic():
        milestone = _milestone(milestone_id)
        tender, _contract_ = _contract(milestone.contract.tender_id)
        check_department(actor, tender, roles=("staff", "reviewer", "head"))
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if milestone.accepted_at:
            raise StateConflict(_("The milestone has already been accepted."))
        require_documents(tender, "procurement.milestone_accept", subject=milestone)  # P8: evidence of delivery
        milestone.accepted_at, milestone.accepted_by = timezone.now(), actor
        milestone.save(update_fields=["accepted_at", "accepted_by"])
        _touch(tender)
        audit_record(actor=actor, action="procurement.milestone.accept", obj=tender,
                     after={"milestone": milestone.pk})
    return milestone


def _paid_or_pending(milestone_or_contract, exclude=None):
    qs = milestone_or_contract.payments.filter(status__in=[Payment.Status.REQUESTED, Payment.Status.APPROVED])
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.aggregate(s=Sum("amount"))["s"] or Decimal("0")


def _check_payment_fits(milestone, contract, amount, exclude=None):
    """P8: an amount larger than the milestone or contract by itself is bad input (400); one
    that fits alone but not beside the payments already asked or approved (someone else's
    request came first) is a conflict with the contract's state (409)."""
    if not milestone.accepted_at:
        raise RuleViolation(_("The milestone has not been accepted yet; no payment can be made."), code="milestone_not_accepted")
    if amount > milestone.amount:
        raise RuleViolation(_("The payment exceeds the milestone's accepted amount."), fields={"amount": [_("Above the milestone amount.")]})
    if amount > contract.amount:
        raise RuleViolation(_("Total payments may not exceed the contract amount."), fields={"amount": [_("Above the contract amount.")]})
    if _paid_or_pending(milestone, exclude) + amount > milestone.amount:
        raise StateConflict(_("The amounts already requested or paid for this milestone plus this request exceed its accepted amount."), code="milestone_overpaid")
    if _paid_or_pending(contract, exclude) + amount > contract.amount:
        raise StateConflict(_("Total payments may not exceed the contract amount."), code="contract_overpaid")


def _add_to_paid(contract, amount):
    """P8 backstop: the contract's ``paid`` total moves in the database, whose check refuses a
    total above the contract amount; that refusal is a 409, never a 500."""
    try:
        with transaction.atomic():
            Contract.objects.filter(pk=contract.pk).update(paid=F("paid") + amount)
    except IntegrityError:
        raise StateConflict(_("Total payments may not exceed the contract amount."), code="contract_overpaid") from None


def payment_request(*, actor, milestone_id, amount) -> Payment:
    """The contracted organization asks to be paid for an accepted milestone."""
    amount = money(amount)
    with transaction.atomic():
        milestone = _milestone(milestone_id)
        tender, contract = _contract(milestone.contract.tender_id)
        check_acts_for(actor, contract.organization)
        _check_payment_fits(milestone, contract, amount)
        require_documents(tender, "procurement.payment_request", subject=milestone)  # P8: the invoice
        payment = Payment.objects.create(contract=contract, milestone=milestone, amount=amount, requested_by=actor)
        audit_record(actor=actor, action="procurement.payment.request", obj=tender,
                     after={"payment": payment.pk, "amount": amount})
        _tell(tender, gettext_lazy("%(ref)s payment request awaiting review: %(amount)s yuan"), amount, department=finance_for(tender.department))
    return payment


def _lock_payment(payment_id):
    try:
        payment = Payment.objects.select_related("contract").get(pk=payment_id)
    except (Payment.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such payment request.")) from None
    tender, contract = _contract(payment.contract.tender_id)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if not payment.awaits_decision:
        raise StateConflict(_("The payment request has already been decided."))
    return tender, contract, payment


def payment_approve(*, actor, payment_id) -> Payment:
    """A finance reviewer approves: committed money becomes spent money on the budget line."""
    with transaction.atomic():
        tender, contract, payment = _lock_payment(payment_id)
        check_finance(actor, tender)
        _check_payment_fits(payment.milestone, contract, payment.amount, exclude=payment)
        _add_to_paid(contract, payment.amount)
        line_move(tender.budget_line_id, committed=-payment.amount, spent=payment.amount)
        Tender.objects.filter(pk=tender.pk).update(committed_amount=tender.committed_amount - payment.amount,
                                                   updated_at=timezone.now())
        payment.status, payment.decided_by, payment.decided_at = Payment.Status.APPROVED, actor, timezone.now()
        payment.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(actor=actor, action="procurement.payment.approve", obj=tender,
                     before={"payment": payment.pk, "status": Payment.Status.REQUESTED},
                     after={"payment": payment.pk, "status": Payment.Status.APPROVED, "amount": payment.amount})
        _tell(tender, gettext_lazy("%(ref)s payment approved: %(amount)s yuan"), payment.amount, organization=contract.organization)
    return payment


def payment_reject(*, actor, payment_id, reason: str) -> Payment:
    reason = text(reason, "reason", label=_("the reason for rejection"), required=True)
    with transaction.atomic():
        tender, _contract_, payment = _lock_payment(payment_id)
        check_finance(actor, tender)
        payment.status, payment.decided_by, payment.decided_at = Payment.Status.REJECTED, actor, timezone.now()
        payment.reason = reason
        payment.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        audit_record(actor=actor, action="procurement.payment.reject", obj=tender, reason=reason,
                     before={"payment": payment.pk, "status": Payment.Status.REQUESTED},
                     after={"payment": payment.pk, "status": Payment.Status.REJECTED})
        _tell(tender, gettext_lazy("%(ref)s payment request rejected: %(amount)s yuan"), payment.amount, organization=payment.contract.organization,
              body=reason)
    return payment


def performance_evaluate(*, actor, tender_id, score, comment: str) -> Tender:
    """P9: the department's 绩效评价 closes the case; the score stays with the organization.
    Pending payment requests must be decided first; what is left of the commitment is released."""
    score = number(score, "score")
    comment = text(comment, "comment", label=_("the evaluation comment"), required=True)
    if not (0 <= score <= 100):
        raise RuleViolation(_("The evaluation score must be between 0 and 100, with a comment."), fields={"score": [_("0–100.")]})

    def check(case, user):
        check_department(user, case, roles=("reviewer", "head"))
        if case.status != Tender.Status.DELIVERY:
            raise StateConflict(_("The tender is not in delivery."))
        if case.contract.payments.filter(status=Payment.Status.REQUESTED).exists():
            raise StateConflict(_("A payment request is still awaiting review."))

    with transaction.atomic():
        with case_transition(model=Tender, pk=tender_id, actor=actor, action="procurement.complete",
                             check=check) as ctx:
            tender = ctx.case
            evaluation = PerformanceEvaluation.objects.create(
                tender=tender, organization=tender.contract.organization, score=score.quantize(Decimal("0.01")),
                comment=comment, evaluated_by=actor,
            )
            ctx.audit_after.update({"evaluation": evaluation.pk, "score": evaluation.score,
                                    "released": release_commitment(tender)})
            tender.complete()
        run_handle(ctx.case, TenderFlow.delivery)
    return ctx.case
