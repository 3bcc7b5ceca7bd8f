"""Reads for procurement: who sees which tender, and whether a bid's price may be shown (P4)."""

from django.db.models import Avg, Count, Exists, OuterRef, Q

from engine.cases.models import TaskRoute
from engine.directory import rights
from engine.directory.models import Department, Role

from . import conf
from .models import Bid, BudgetLine, Complaint, Contract, PerformanceEvaluation, Tender
from .services.evaluation import compute_ranking

_ROLES = (Role.STAFF, Role.REVIEWER, Role.HEAD)


def finance_department_ids(user) -> set[int]:
    return set(
        Department.objects.filter(pk__in=rights.department_ids(user, _ROLES), kind=Department.Kind.FIN)
        .values_list("pk", flat=True)
    )


def _finance_scope(user) -> Q:
    """Tenders a finance user reviews: the city 财政局 sees all, a district one its district's."""
    fin = Department.objects.filter(pk__in=finance_department_ids(user))
    if not fin:
        return Q(pk__in=[])
    if any(d.level == Department.Level.CITY for d in fin):
        return Q(pk__isnull=False)  # not Q(): an empty Q vanishes when OR-ed
    return Q(department__district_id__in=[d.district_id for d in fin])


def staff_scope(user) -> Q:
    """What a department, finance or panel member may see beyond public tenders."""
    if user.is_superuser:
        return Q(pk__isnull=False)
    q = Q(department_id__in=rights.department_ids(user, _ROLES)) | _finance_scope(user)
    if rights.is_expert(user):
        # the panel, and an expert the head reassigned a recused panel member's task to (D3)
        q |= Q(Exists(Tender.experts.through.objects.filter(tender_id=OuterRef("pk"), user_id=user.pk)))
        q |= Q(Exists(TaskRoute.objects.filter(reference=OuterRef("reference"), node="score", owner_id=user.pk)))
    return q


def tenders_visible_to(user):
    """Public tenders (published once) for everyone signed in, plus the caller's working scope."""
    return (
        Tender.objects.filter(Q(published_at__isnull=False) | staff_scope(user))
        .select_related("department", "catalogue_item", "budget_line", "awarded_bid__organization")
    )


def tender_for(user, reference) -> Tender | None:
    return tenders_visible_to(user).filter(reference=reference).first()


def is_staff_view(user, tender) -> bool:
    return Tender.objects.filter(staff_scope(user), pk=tender.pk).exists()


def open_tenders(user=None):
    """Tenders open for bids now; for ``user``, only those open to one of their organizations:
    every open-method tender, and an invitation-only one (P3) when one of them is invited."""
    qs = Tender.objects.filter(status=Tender.Status.TENDERING).select_related("department", "catalogue_item")
    if user is None:
        return qs
    by_invitation = [code for code, spec in conf.methods().items() if spec.get("invitation")]
    invited = Tender.invitees.through.objects.filter(
        tender_id=OuterRef("pk"), organization_id__in=rights.organization_ids(user))
    return qs.filter(~Q(method__in=by_invitation) | Exists(invited))


def bids_of(user):
    """The bids of the caller's organizations, newest first."""
    return (
        Bid.objects.filter(organization_id__in=rights.organization_ids(user))
        .select_related("tender", "organization", "tender__awarded_bid").order_by("-submitted_at")
    )


def may_see_bid_content(user, bid, cache: dict | None = None) -> bool:
    """P4: the bidder always sees its own bid; anyone else only once the tender is unsealed, only
    a live bid (one withdrawn or replaced before the deadline stays unopened), and only when they work on it (department, finance, panel) — other bidders never do. ``cache``
    (one per request) keeps a list of bids at a fixed number of queries."""
    cache = {} if cache is None else cache
    if "orgs" not in cache:
        cache["orgs"] = rights.organization_ids(user)
    if bid.organization_id in cache["orgs"]:
        return True
    if bid.tender.sealed or bid.withdrawn_at is not None:
        return False  # a withdrawn or replaced version is never opened, not even after the deadline
    key = ("staff", bid.tender_id)
    if key not in cache:
        cache[key] = is_staff_view(user, bid.tender)
    return cache[key]


def bids_visible_to(user, tender):
    """P4 (招标投标法 Art. 22): the bids of ``tender`` that ``user`` may know exist. Until the
    deadline has passed and been processed, only the bidder's own; afterwards everything for
    those who work on the tender, still only their own for everyone else."""
    qs = tender.bids.select_related("organization", "tender")
    if tender.sealed or not is_staff_view(user, tender):
        qs = qs.filter(organization_id__in=rights.organization_ids(user))
    return qs


def budget_lines_visible_to(user):
    """The city 财政局 sees every line, a district 财政局 its district's (D1), a department its own."""
    qs = BudgetLine.objects.select_related("department", "item")
    if user.is_superuser:
        return qs
    own = Q(department_id__in=rights.department_ids(user, _ROLES))
    fin = list(Department.objects.filter(pk__in=finance_department_ids(user)))
    if any(d.level == Department.Level.CITY for d in fin):
        return qs
    return qs.filter(own | Q(department__district_id__in=[d.district_id for d in fin if d.district_id]))


def complaints_visible_to(user):
    tenders = Tender.objects.filter(staff_scope(user)).values("pk")
    return Complaint.objects.filter(
        Q(tender_id__in=tenders) | Q(organization_id__in=rights.organization_ids(user))
    ).select_related("tender", "organization")


def contracts_visible_to(user):
    return Contract.objects.filter(
        Q(tender__in=tenders_visible_to(user).filter(published_at__isnull=False))
    ).select_related("tender", "organization").prefetch_related("milestones", "payments")


def performance_history(organization_ids) -> dict:
    """P9: each organization's past performance evaluations (average score and count)."""
    rows = (PerformanceEvaluation.objects.filter(organization_id__in=organization_ids)
            .values("organization_id").annotate(average=Avg("score"), count=Count("pk")))
    return {r["organization_id"]: r for r in rows}


def concluded_ranking(tender) -> list:
    """The ranking recomputed from the score sheets (P5), once evaluation has concluded; before
    that nothing, so no page or endpoint shows a partial order while experts are scoring."""
    if tender.status in Tender.SEALED_STATES + (Tender.Status.EVALUATION,):
        return []

    return compute_ranking(tender)
