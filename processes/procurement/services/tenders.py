"""Tender services: preparation, the finance pre-check (P1), the award review (P6), cancellation."""
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, RuleViolation, StateConflict
from engine.cases.numbering import case_creation
from engine.cases.search import refresh_case_search_on_commit
from engine.cases.services import cancel_open_tasks, case_step, case_transition
from engine.directory import rights
from engine.directory.models import Membership, Organization, OrganizationMember, Role
from engine.notifications.services import Text, notify
from engine.workdays.calendar import add_days, add_working_days

from .. import conf
from ..flows import TenderFlow
from ..models import BudgetLine, CatalogueItem, Tender
from .common import (
    check_date_range,
    check_department,
    eligibility_problem,
    lock_line,
    money,
    number,
    release_commitment,
    text,
)


def price_weight_of(value) -> Decimal:
    """P5: the price weight is a share of 100 points, 0 ≤ weight < 100, two places at most."""
    weight = number(value, "price_weight")
    if not (0 <= weight < 100):
        raise RuleViolation(_("The price weight must be between 0 and 100 (100 excluded)."), fields={"price_weight": [_("Out of range.")]})
    return weight


def _validate_criteria(criteria, price_weight: Decimal):
    """P5: technical weights (positive, two places) plus the price weight make 100; codes unique."""
    if not isinstance(criteria, list) or not criteria:
        raise RuleViolation(_("Please set at least one scoring criterion."), fields={"criteria": [_("Required.")]})
    codes, total = set(), price_weight_of(price_weight)
    for item in criteria:
        try:
            code, name = str(item["code"]).strip(), str(item["name"]).strip()
            weight = number(item["weight"], "criteria")
        except (KeyError, TypeError):
            raise RuleViolation(_("The scoring criteria are not valid."), fields={"criteria": [_("Each needs code, name and weight.")]}) from None
        if not code or not name or code in codes or weight <= 0:
            raise RuleViolation(_("Each criterion needs a code and a name, unique codes and a positive weight."), fields={"criteria": [_("Invalid format.")]})
        codes.add(code)
        total += weight
    if total != 100:
        raise RuleViolation(
            _("The technical weights and the price weight must add up to 100 (now %(total)s).") % {"total": total},
            fields={"criteria": [_("The weights must add up to 100.")]},
        )


def earliest_deadline(tender: Tender, start=None):
    """P3: the earliest bidding deadline the method allows when published at ``start``."""
    spec = tender.method_spec
    return add_days(start or timezone.now(), int(spec["min_days"]), bool(spec["working"]), end_hour=0)[0]


def _validate_periods(tender: Tender, start=None):
    start = start or timezone.now()
    check_date_range(tender.enquiry_end, "enquiry_end")
    check_date_range(tender.tender_end, "tender_end")
    if tender.enquiry_end <= start:
        raise RuleViolation(_("The end of enquiries must be after publication."), fields={"enquiry_end": [_("In the past.")]})
    if tender.tender_end <= tender.enquiry_end:
        raise RuleViolation(_("The bidding deadline must be after the end of enquiries."), fields={"tender_end": [_("Must be after the end of enquiries.")]})
    earliest = earliest_deadline(tender, start)
    if tender.tender_end < earliest:
        raise RuleViolation(
            _("%(method)s needs a bidding period of at least %(days)s %(kind)s; the earliest bidding deadline is %(date)s.") % {
                "method": tender.get_method_display(), "days": tender.method_spec["min_days"],
                "kind": _("working days") if tender.method_spec["working"] else _("days"),
                "date": timezone.localtime(earliest).strftime("%Y-%m-%d %H:%M"),
            },
            fields={"tender_end": [_("The bidding period is too short.")]},
        )


def _validate_experts(experts, author_id=None):
    """P5, D3: at least the minimum number of registered experts, and not the tender's author
    (whoever drafted a step never approves or scores it; the engine would refuse at scoring)."""
    ids = [getattr(e, "pk", e) for e in experts]
    valid = set(Membership.objects.filter(user_id__in=ids, role=Role.EXPERT).values_list("user_id", flat=True))
    if len(set(ids)) < conf.min_experts() or valid != set(ids):
        raise RuleViolation(
            _("Experts must come from the expert pool, at least %(n)s of them.") % {"n": conf.min_experts()},
            fields={"experts": [_("Wrong number or kind of experts.")]},
        )
    if author_id in ids:
        raise RuleViolation(_("Whoever drafted the tender may not be one of its experts."), fields={"experts": [_("The drafter must stand down.")]})
    return ids


def _validate_invitees(tender: Tender, invitees) -> list[int]:
    """P2, P3: 邀请招标 and 单一来源 name the organizations that may bid — at least the method's
    minimum number of bids, each eligible; the open methods name none."""
    try:
        ids = sorted({int(getattr(o, "pk", o)) for o in invitees or []})
    except (TypeError, ValueError):
        raise RuleViolation(_("The invited organizations are not valid."), fields={"invitees": [_("Invalid format.")]}) from None
    if not tender.by_invitation:
        if ids:
            raise RuleViolation(
                _("%(method)s does not name invited organizations.") % {"method": tender.get_method_display()},
                fields={"invitees": [_("This procurement method names no invited organizations.")]},
            )
        return ids
    minimum = int(tender.method_spec["min_bids"])
    if len(ids) < minimum:
        raise RuleViolation(
            ngettext("%(method)s must invite at least %(n)s organization.", "%(method)s must invite at least %(n)s organizations.", minimum) % {
                "method": tender.get_method_display(), "n": minimum},
            fields={"invitees": [_("Too few invited organizations.")]},
        )
    orgs = {o.pk: o for o in Organization.objects.filter(pk__in=ids)}
    problems = [_("%(organization)s: %(problem)s") % {"organization": o.name, "problem": p}
                for o in orgs.values() if (p := eligibility_problem(o))]
    if len(orgs) != len(ids) or problems:
        raise RuleViolation(
            _("Invited organizations must exist and be eligible as contractors. %(problems)s") % {"problems": _("; ").join(problems)},
            fields={"invitees": problems or [_("No such organization.")]},
        )
    return ids


def tender_create(*, actor, department, name, catalogue_item: CatalogueItem, budget_line: BudgetLine,
                  method: str, amount, enquiry_end, tender_end, experts, description: str = "",
                  recurring: bool = False, criteria=None, price_weight=None, invitees=()) -> Tender:
    """Department staff draft a tender; it waits in their queue for submission to finance.
    ``invitees`` (organizations) for the methods by invitation only (邀请招标, 单一来源)."""
    if not rights.has_any_role(actor, department.pk, (Role.STAFF, Role.HEAD)):
        raise NotAllowed(_("Only a clerk of the department may create a tender."))
    if method not in conf.methods():
        raise RuleViolation(_("Invalid procurement method."), fields={"method": [_("Invalid choice.")]})
    if budget_line.department_id != department.pk or budget_line.item_id != catalogue_item.pk:
        raise RuleViolation(_("The budget line must belong to the department and match the chosen catalogue item."), fields={"budget_line": [_("Does not match.")]})
    name = text(name, "name", label=_("the project name"), required=True, limit=Tender._meta.get_field("name").max_length)
    description = text(description, "description")
    tender = Tender(
        department=department, created_by=actor, name=name, description=description,
        catalogue_item=catalogue_item, budget_line=budget_line, method=method,
        amount=money(amount), enquiry_end=enquiry_end, tender_end=tender_end, recurring=recurring,
        criteria=criteria if criteria is not None else conf.default_criteria(),
        price_weight=price_weight_of(price_weight) if price_weight is not None else conf.default_price_weight(),
    )
    _validate_criteria(tender.criteria, tender.price_weight)
    _validate_periods(tender)
    expert_ids = _validate_experts(experts, actor.pk)
    invitee_ids = _validate_invitees(tender, invitees)
    with case_creation():
        tender.save()
        tender.experts.set(expert_ids)
        tender.invitees.set(invitee_ids)
        audit_record(actor=actor, action="procurement.create", obj=tender,
                     after={"status": tender.status, "amount": tender.amount, "method": method,
                            "invitees": invitee_ids})
        TenderFlow.start.run(case=tender)
    return tender


EDITABLE = ("name", "description", "method", "amount", "recurring", "enquiry_end", "tender_end", "criteria",
            "price_weight", "catalogue_item", "budget_line")


def tender_update(*, actor, tender_id, experts=None, invitees=None, **changes) -> Tender:
    """Department staff correct a draft (e.g. after finance returned it); rules as at creation."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise RuleViolation(_("Fields that cannot be changed: %(f)s") % {"f": _(", ").join(sorted(unknown))})

    def check(case, user):
        check_department(user, case)
        if case.status != Tender.Status.DRAFT:
            raise StateConflict(_("Only a draft can be changed."))

    with case_transition(model=Tender, pk=tender_id, actor=actor, action="procurement.update", check=check) as ctx:
        tender = ctx.case
        before = {f: getattr(tender, f) for f in changes}
        for field, value in changes.items():
            if field == "amount":
                value = money(value)
            elif field == "name":
                value = text(value, "name", label=_("the project name"), required=True,
                             limit=Tender._meta.get_field("name").max_length)
            elif field == "description":
                value = text(value, "description")
            elif field == "price_weight":
                value = price_weight_of(value)
            setattr(tender, field, value)
        if tender.method not in conf.methods():
            raise RuleViolation(_("Invalid procurement method."), fields={"method": [_("Invalid choice.")]})
        line = tender.budget_line
        if line.department_id != tender.department_id or line.item_id != tender.catalogue_item_id:
            raise RuleViolation(_("The budget line must belong to the department and match the chosen catalogue item."), fields={"budget_line": [_("Does not match.")]})
        _validate_criteria(tender.criteria, tender.price_weight)
        _validate_periods(tender)
        if invitees is not None or "method" in changes:
            current = invitees if invitees is not None else (
                list(tender.invitees.values_list("pk", flat=True)) if tender.by_invitation else [])
            invitee_ids = _validate_invitees(tender, current)
            tender.invitees.set(invitee_ids)
            ctx.audit_after["invitees"] = invitee_ids
        if experts is not None:
            tender.experts.set(_validate_experts(experts, tender.created_by_id))
            ctx.audit_after["experts"] = sorted(getattr(e, "pk", e) for e in experts)
        ctx.audit_after.update({"changed": sorted(changes), "before": before,
                                "after": {f: getattr(tender, f) for f in changes}})
        if "name" in changes:
            refresh_case_search_on_commit(tender)  # the queues show and search the project's name
    return ctx.case


def tender_submit(*, actor, task_id, reason="", data=None) -> Tender:
    """Staff send the draft to finance's pre-check queue (P1); periods must still fit (P3)."""
    with case_step(task_id=task_id, actor=actor, decision="submit", reason=reason) as step:
        _validate_periods(step.case)
        step.case.submit()
    return step.case


def precheck_approve(*, actor, task_id, reason="", data=None) -> Tender:
    """P1: the item is in the published catalogue and the line has the money; commit it and publish.

    The budget line is locked after the tender, so two approvals drawing on one line queue up
    and the second sees what the first committed; the DB check stops any overcommitment.
    """
    with case_step(task_id=task_id, actor=actor, decision="approve", reason=reason) as step:
        tender = step.case
        item = tender.catalogue_item
        if not item.published:
            raise RuleViolation(_("The service is not in the published guiding catalogue; please return the tender."), code="catalogue_unpublished")
        _validate_periods(tender)
        line = lock_line(tender.budget_line_id)
        if line.available < tender.amount:
            raise RuleViolation(
                _("Not enough budget available: %(available)s yuan available, %(amount)s yuan needed; please return the tender.")
                % {"available": line.available, "amount": tender.amount},
                code="budget_insufficient",
            )
        line.committed += tender.amount
        line.save(update_fields=["committed"])
        tender.publish(committed=tender.amount)
        step.audit_after.update({"committed": tender.amount, "budget_line": line.pk, "available": line.available})
        step.after_commit(lambda: _notify_department(tender, gettext_lazy("The tender passed the finance pre-check and is published")))
        if tender.by_invitation:
            step.after_commit(lambda: _notify_invitees(tender))
    return step.case


def precheck_refuse(*, actor, task_id, reason="", data=None) -> Tender:
    """Finance returns the draft to the department with its reasons."""
    reason = text(reason, "reason", label=_("the reason for return"), required=True)
    with case_step(task_id=task_id, actor=actor, decision="refuse", reason=reason) as step:
        step.case.refuse_precheck(reason)
        tender = step.case
        step.after_commit(lambda: _notify_department(tender, gettext_lazy("The tender was returned by the finance pre-check"), reason))
    return step.case


def award_approve(*, actor, task_id, reason="", data=None) -> Tender:
    """P6: finance checks the proposed award against the committed budget, then it is published
    and the complaint period (P7, working days) starts."""
    with case_step(task_id=task_id, actor=actor, decision="approve", reason=reason) as step:
        tender = step.case
        bid = tender.awarded_bid
        if bid is None or bid.price > tender.committed_amount:
            raise RuleViolation(_("The winning price exceeds the committed budget; it cannot be approved."), code="award_over_budget")
        end, provisional = add_working_days(timezone.now(), conf.complaint_period_working_days())
        tender.approve_award(end)
        step.audit_after.update({"awarded_bid": bid.pk, "organization": bid.organization_id,
                                 "standstill_end": end, "provisional": provisional})
        step.after_commit(lambda: _notify_bidders(tender, gettext_lazy("Award published")))
    return step.case


def award_refuse(*, actor, task_id, reason="", data=None) -> Tender:
    """Finance refuses the award: the tender is unsuccessful and its commitment released."""
    reason = text(reason, "reason", label=_("the reason for refusal"), required=True)
    with case_step(task_id=task_id, actor=actor, decision="refuse", reason=reason) as step:
        step.case.fail(reason)
        step.audit_after["released"] = release_commitment(step.case)
    return step.case


def tender_cancel(*, actor, tender_id, reason: str) -> Tender:
    """Cancel before contracting (reason required); the commitment goes back to the line."""
    reason = text(reason, "reason", label=_("the reason for cancellation"), required=True)

    def check(case, user):
        check_department(user, case)
        if case.status not in Tender.CANCELLABLE:
            raise StateConflict(_("A tender cannot be cancelled after the contract is signed."))

    with case_transition(model=Tender, pk=tender_id, actor=actor, action="procurement.cancel",
                         reason=reason, check=check) as ctx:
        ctx.case.cancel(reason)
        ctx.audit_after["released"] = release_commitment(ctx.case)
        cancel_open_tasks(ctx.case, actor)
        tender = ctx.case
        ctx.after_commit(lambda: _notify_bidders(tender, gettext_lazy("The tender has been cancelled"), reason))
    return ctx.case


def _notify_department(tender, title, body=""):
    users = [m.user for m in Membership.objects.filter(department=tender.department).select_related("user")]
    notify(users, title=title, body=body or tender.name, kind="procurement", reference=tender.reference)


def _notify_bidders(tender, title, body=""):
    org_ids = tender.bids.filter(withdrawn_at__isnull=True).values_list("organization_id", flat=True)
    users = [m.user for m in OrganizationMember.objects.filter(organization_id__in=org_ids).select_related("user")]
    if users:
        notify(users, title=title, body=body or tender.name, kind="procurement", reference=tender.reference)


def _notify_invitees(tender):
    members = OrganizationMember.objects.filter(organization__in=tender.invitees.all()).select_related("user")
    users = [m.user for m in members]
    if users:
        notify(users, title=Text(gettext_lazy("Invitation to bid: %(name)s"), name=tender.name),
               body=Text(gettext_lazy("Bidding deadline: %(end)s"), end=timezone.localtime(tender.tender_end).strftime("%Y-%m-%d %H:%M")),
               kind="procurement", reference=tender.reference)
