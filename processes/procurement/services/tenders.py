"""Tender services: preparation, the finance pre-check (P1), the award review (P6), cancellation."""
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, RuleViolation, StateConflict
from engine.cases.numbering import case_creation
from engine.cases.services import cancel_open_tasks, case_step, case_transition
from engine.directory import rights
from engine.directory.models import Membership, Organization, OrganizationMember, Role
from engine.notifications.services import notify
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
        raise RuleViolation(_("价格权重须在0至100之间（不含100）。"), fields={"price_weight": [_("超出范围。")]})
    return weight


def _validate_criteria(criteria, price_weight: Decimal):
    """P5: technical weights (positive, two places) plus the price weight make 100; codes unique."""
    if not isinstance(criteria, list) or not criteria:
        raise RuleViolation(_("请至少设置一项评分标准。"), fields={"criteria": [_("必填。")]})
    codes, total = set(), price_weight_of(price_weight)
    for item in criteria:
        try:
            code, name = str(item["code"]).strip(), str(item["name"]).strip()
            weight = number(item["weight"], "criteria")
        except (KeyError, TypeError):
            raise RuleViolation(_("评分标准格式不正确。"), fields={"criteria": [_("每项需有 code、name、weight。")]}) from None
        if not code or not name or code in codes or weight <= 0:
            raise RuleViolation(_("评分标准须有编码和名称，编码唯一且权重为正。"), fields={"criteria": [_("格式不正确。")]})
        codes.add(code)
        total += weight
    if total != 100:
        raise RuleViolation(
            _("技术权重与价格权重之和须为100（当前为%(total)s）。") % {"total": total},
            fields={"criteria": [_("权重之和须为100。")]},
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
        raise RuleViolation(_("答疑截止时间须晚于发布时间。"), fields={"enquiry_end": [_("已过期。")]})
    if tender.tender_end <= tender.enquiry_end:
        raise RuleViolation(_("投标截止时间须晚于答疑截止时间。"), fields={"tender_end": [_("须晚于答疑截止时间。")]})
    earliest = earliest_deadline(tender, start)
    if tender.tender_end < earliest:
        raise RuleViolation(
            _("%(method)s的投标期不少于%(days)s%(kind)s，投标截止时间最早为%(date)s。") % {
                "method": tender.get_method_display(), "days": tender.method_spec["min_days"],
                "kind": _("个工作日") if tender.method_spec["working"] else _("日"),
                "date": timezone.localtime(earliest).strftime("%Y-%m-%d %H:%M"),
            },
            fields={"tender_end": [_("投标期过短。")]},
        )


def _validate_experts(experts, author_id=None):
    """P5, D3: at least the minimum number of registered experts, and not the tender's author
    (whoever drafted a step never approves or scores it; the engine would refuse at scoring)."""
    ids = [getattr(e, "pk", e) for e in experts]
    valid = set(Membership.objects.filter(user_id__in=ids, role=Role.EXPERT).values_list("user_id", flat=True))
    if len(set(ids)) < conf.min_experts() or valid != set(ids):
        raise RuleViolation(
            _("评审专家须为库内专家，且不少于%(n)s人。") % {"n": conf.min_experts()},
            fields={"experts": [_("专家人数或身份不符。")]},
        )
    if author_id in ids:
        raise RuleViolation(_("采购项目的编制人不能担任其评审专家。"), fields={"experts": [_("编制人须回避。")]})
    return ids


def _validate_invitees(tender: Tender, invitees) -> list[int]:
    """P2, P3: 邀请招标 and 单一来源 name the organizations that may bid — at least the method's
    minimum number of bids, each eligible; the open methods name none."""
    try:
        ids = sorted({int(getattr(o, "pk", o)) for o in invitees or []})
    except (TypeError, ValueError):
        raise RuleViolation(_("受邀组织格式不正确。"), fields={"invitees": [_("格式不正确。")]}) from None
    if not tender.by_invitation:
        if ids:
            raise RuleViolation(
                _("%(method)s不指定受邀组织。") % {"method": tender.get_method_display()},
                fields={"invitees": [_("该采购方式不指定受邀组织。")]},
            )
        return ids
    minimum = int(tender.method_spec["min_bids"])
    if len(ids) < minimum:
        raise RuleViolation(
            _("%(method)s须邀请不少于%(n)s家组织。") % {"method": tender.get_method_display(), "n": minimum},
            fields={"invitees": [_("受邀组织不足。")]},
        )
    orgs = {o.pk: o for o in Organization.objects.filter(pk__in=ids)}
    problems = [f"{o.name}：{p}" for o in orgs.values() if (p := eligibility_problem(o))]
    if len(orgs) != len(ids) or problems:
        raise RuleViolation(
            _("受邀组织须为存在且符合承接条件的组织。") + "；".join(problems),
            fields={"invitees": problems or [_("组织不存在。")]},
        )
    return ids


def tender_create(*, actor, department, name, catalogue_item: CatalogueItem, budget_line: BudgetLine,
                  method: str, amount, enquiry_end, tender_end, experts, description: str = "",
                  recurring: bool = False, criteria=None, price_weight=None, invitees=()) -> Tender:
    """Department staff draft a tender; it waits in their queue for submission to finance.
    ``invitees`` (organizations) for the methods by invitation only (邀请招标, 单一来源)."""
    if not rights.has_any_role(actor, department.pk, (Role.STAFF, Role.HEAD)):
        raise NotAllowed(_("只有本部门经办人可以创建采购项目。"))
    if method not in conf.methods():
        raise RuleViolation(_("采购方式无效。"), fields={"method": [_("无效的选项。")]})
    if budget_line.department_id != department.pk or budget_line.item_id != catalogue_item.pk:
        raise RuleViolation(_("预算指标须属于本部门且对应所选目录项。"), fields={"budget_line": [_("不匹配。")]})
    name = text(name, "name", label=_("项目名称"), required=True, limit=Tender._meta.get_field("name").max_length)
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
        raise RuleViolation(_("不可修改的字段：%(f)s") % {"f": "、".join(sorted(unknown))})

    def check(case, user):
        check_department(user, case)
        if case.status != Tender.Status.DRAFT:
            raise StateConflict(_("只有草稿可以修改。"))

    with case_transition(model=Tender, pk=tender_id, actor=actor, action="procurement.update", check=check) as ctx:
        tender = ctx.case
        before = {f: getattr(tender, f) for f in changes}
        for field, value in changes.items():
            if field == "amount":
                value = money(value)
            elif field == "name":
                value = text(value, "name", label=_("项目名称"), required=True,
                             limit=Tender._meta.get_field("name").max_length)
            elif field == "description":
                value = text(value, "description")
            elif field == "price_weight":
                value = price_weight_of(value)
            setattr(tender, field, value)
        if tender.method not in conf.methods():
            raise RuleViolation(_("采购方式无效。"), fields={"method": [_("无效的选项。")]})
        line = tender.budget_line
        if line.department_id != tender.department_id or line.item_id != tender.catalogue_item_id:
            raise RuleViolation(_("预算指标须属于本部门且对应所选目录项。"), fields={"budget_line": [_("不匹配。")]})
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
            raise RuleViolation(_("服务项目不在已发布的指导性目录中，请退回。"), code="catalogue_unpublished")
        _validate_periods(tender)
        line = lock_line(tender.budget_line_id)
        if line.available < tender.amount:
            raise RuleViolation(
                _("预算指标可用金额不足：可用%(available)s元，需%(amount)s元，请退回。")
                % {"available": line.available, "amount": tender.amount},
                code="budget_insufficient",
            )
        line.committed += tender.amount
        line.save(update_fields=["committed"])
        tender.publish(committed=tender.amount)
        step.audit_after.update({"committed": tender.amount, "budget_line": line.pk, "available": line.available})
        step.after_commit(lambda: _notify_department(tender, _("采购项目已通过财政预审并发布")))
        if tender.by_invitation:
            step.after_commit(lambda: _notify_invitees(tender))
    return step.case


def precheck_refuse(*, actor, task_id, reason="", data=None) -> Tender:
    """Finance returns the draft to the department with its reasons."""
    reason = text(reason, "reason", label=_("退回原因"), required=True)
    with case_step(task_id=task_id, actor=actor, decision="refuse", reason=reason) as step:
        step.case.refuse_precheck(reason)
        tender = step.case
        step.after_commit(lambda: _notify_department(tender, _("采购项目被财政预审退回"), reason))
    return step.case


def award_approve(*, actor, task_id, reason="", data=None) -> Tender:
    """P6: finance checks the proposed award against the committed budget, then it is published
    and the complaint period (P7, working days) starts."""
    with case_step(task_id=task_id, actor=actor, decision="approve", reason=reason) as step:
        tender = step.case
        bid = tender.awarded_bid
        if bid is None or bid.price > tender.committed_amount:
            raise RuleViolation(_("中标报价超出已占用预算，不能批准。"), code="award_over_budget")
        end, provisional = add_working_days(timezone.now(), conf.complaint_period_working_days())
        tender.approve_award(end)
        step.audit_after.update({"awarded_bid": bid.pk, "organization": bid.organization_id,
                                 "standstill_end": end, "provisional": provisional})
        step.after_commit(lambda: _notify_bidders(tender, _("中标结果公示")))
    return step.case


def award_refuse(*, actor, task_id, reason="", data=None) -> Tender:
    """Finance refuses the award: the tender is unsuccessful and its commitment released."""
    reason = text(reason, "reason", label=_("不予批准的原因"), required=True)
    with case_step(task_id=task_id, actor=actor, decision="refuse", reason=reason) as step:
        step.case.fail(reason)
        step.audit_after["released"] = release_commitment(step.case)
    return step.case


def tender_cancel(*, actor, tender_id, reason: str) -> Tender:
    """Cancel before contracting (reason required); the commitment goes back to the line."""
    reason = text(reason, "reason", label=_("取消原因"), required=True)

    def check(case, user):
        check_department(user, case)
        if case.status not in Tender.CANCELLABLE:
            raise StateConflict(_("签订合同后不能取消采购项目。"))

    with case_transition(model=Tender, pk=tender_id, actor=actor, action="procurement.cancel",
                         reason=reason, check=check) as ctx:
        ctx.case.cancel(reason)
        ctx.audit_after["released"] = release_commitment(ctx.case)
        cancel_open_tasks(ctx.case, actor)
        tender = ctx.case
        ctx.after_commit(lambda: _notify_bidders(tender, _("采购项目已取消"), reason))
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
        notify(users, title=_("邀请投标：%(name)s") % {"name": tender.name},
               body=_("投标截止：%(end)s") % {"end": timezone.localtime(tender.tender_end).strftime("%Y-%m-%d %H:%M")},
               kind="procurement", reference=tender.reference)
