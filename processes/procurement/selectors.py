"""Reads for procurement: who sees which tender, and whether a bid's price may be shown (P4)."""

from django.db.models import Avg, Count, Exists, F, OuterRef, Q
from django.utils import timezone

from engine.cases.models import TaskRoute
from engine.directory import rights
from engine.directory.models import Department, District, Role

from . import conf
from .models import Bid, BudgetLine, Complaint, Contract, Enquiry, PerformanceEvaluation, Tender
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


# The public list's phases (what a reader of tender notices asks), each a set of statuses.
PUBLIC_PHASES = {
    "enquiry": (Tender.Status.PUBLISHED,),
    "open": (Tender.Status.TENDERING,),
    "closed": (Tender.Status.EVALUATION, Tender.Status.AWARD_REVIEW, Tender.Status.CANCELLED, Tender.Status.UNSUCCESSFUL),
    "awarded": Tender.AWARD_PUBLIC_STATES,
}
PUBLIC_SORTS = {
    "-published": ("-published_at", "-pk"),
    "published": ("published_at", "pk"),
    "deadline": ("tender_end", "pk"),
    "-deadline": ("-tender_end", "-pk"),
    "-amount": ("-amount", "-pk"),
    "amount": ("amount", "pk"),
}


def public_notices():
    """Every tender ever published (a cancelled one stays public), with what a notice shows.
    The winning bid is read for the award only; a page shows it once the award is public (P6)."""
    return Tender.objects.filter(published_at__isnull=False).select_related(
        "department__district", "catalogue_item", "awarded_bid__organization")


def public_notice_list(*, q="", department="", district="", category="", phase="", sort=""):
    """The public list narrowed by search (reference, name, description, department, service)
    and filters, in one of ``PUBLIC_SORTS`` (newest first by default)."""
    qs = public_notices()
    if q:
        qs = qs.filter(Q(reference__icontains=q) | Q(name__icontains=q) | Q(description__icontains=q)
                       | Q(department__name__icontains=q) | Q(catalogue_item__name__icontains=q))
    if department:
        qs = qs.filter(department__code=department)
    if district:
        qs = qs.filter(department__district__code=district)
    if category:
        qs = qs.filter(catalogue_item__category=category)
    if phase in PUBLIC_PHASES:
        qs = qs.filter(status__in=PUBLIC_PHASES[phase])
    return qs.order_by(*PUBLIC_SORTS.get(sort, PUBLIC_SORTS["-published"]))


def public_notice_filters() -> dict:
    """The choices of the public list's filters: only what published tenders have (three queries)."""
    published = Tender.objects.filter(published_at__isnull=False)
    return {
        "departments": list(Department.objects.filter(pk__in=published.values("department_id")).order_by("code")
                            .values_list("code", "name")),
        "districts": list(District.objects.filter(pk__in=published.values("department__district_id")).order_by("code")
                          .values_list("code", "name")),
        "categories": list(published.order_by("catalogue_item__category").values_list("catalogue_item__category", flat=True)
                           .distinct()),
    }


def public_phase(tender) -> str:
    """The phase of ``PUBLIC_PHASES`` a published tender is in."""
    return next((phase for phase, statuses in PUBLIC_PHASES.items() if tender.status in statuses), "closed")


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


def enquiries_visible_to(user):
    """Answered enquiries are public (P10); unanswered ones only for the departments working on
    the tender and for the asking organization's members."""
    tenders = Tender.objects.filter(staff_scope(user)).values("pk") if user.is_authenticated else Tender.objects.none()
    return Enquiry.objects.filter(
        Q(answered_at__isnull=False, tender__published_at__isnull=False) | Q(tender_id__in=tenders)
        | Q(organization_id__in=rights.organization_ids(user))
    ).select_related("tender")


def tender_enquiries_for(user, tender):
    """One published tender's enquiries for ``user``: all of them for whoever works on the
    tender, otherwise the answered ones and the user's own organizations' (P10)."""
    qs = Enquiry.objects.filter(tender=tender).select_related("tender").order_by("asked_at", "pk")
    if is_staff_view(user, tender):
        return qs
    return qs.filter(Q(answered_at__isnull=False) | Q(organization_id__in=rights.organization_ids(user)))


def filter_enquiries(qs, *, state="", tender=""):
    """A department's enquiries narrowed to unanswered, answered or overdue ones, and one tender."""
    if state == "unanswered":
        qs = qs.filter(answered_at__isnull=True)
    elif state == "answered":
        qs = qs.filter(answered_at__isnull=False)
    elif state == "overdue":
        qs = qs.filter(answered_at__isnull=True, due_at__lt=timezone.now())
    if tender:
        qs = qs.filter(tender__reference=tender)
    return qs


def department_enquiries(user):
    """The enquiries the user's departments answer (their own tenders), oldest due first."""
    return (Enquiry.objects.filter(tender__department_id__in=rights.department_ids(user, _ROLES))
            .select_related("tender", "organization", "answered_by")
            .order_by(F("answered_at").asc(nulls_first=True), "due_at", "pk"))


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
