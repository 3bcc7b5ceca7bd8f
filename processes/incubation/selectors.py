"""Reads of the incubation process: who sees which applications, rosters, eligibility (I6)."""
from django.db.models import Count, Q

from engine.cases.models import TaskRoute
from engine.directory import rights
from engine.directory.models import DEPARTMENT_ROLES, Department

from .models import ADMITTED, IncubationApplication, IncubationBaseSettings, Milestone, Nomination, Status


def applications_visible_to(user):
    """Applications of the user's organizations, of the bases and 民政局 they work in, and
    those assigned to them as expert (experts see only those, D3 by construction)."""
    qs = IncubationApplication.objects.select_related("organization", "department")
    if user.is_superuser:
        return qs
    departments = rights.department_ids(user, DEPARTMENT_ROLES)
    mca_bases = Department.objects.filter(
        kind=Department.Kind.INCUBATION_BASE, parent_id__in=departments).values_list("pk", flat=True)
    match = Q(organization_id__in=rights.organization_ids(user)) | Q(department_id__in=departments)
    if departments:
        match |= Q(department_id__in=list(mca_bases))
        if Department.objects.filter(pk__in=departments, code="mca").exists():
            match |= Q(department__kind=Department.Kind.INCUBATION_BASE)
    if rights.is_expert(user):
        match |= Q(expert_scores__expert=user) | Q(reference__in=_scoring_tasks_of(user))
    return qs.filter(match).distinct()


def _scoring_tasks_of(user):
    """References of the applications whose scoring task the user holds, including one the
    base's head reassigned to them before they scored (the sheet moves when they score)."""

    return TaskRoute.objects.filter(process_name="incubation", node="score", owner=user,
                                    state__in=[TaskRoute.State.OPEN, TaskRoute.State.CLAIMED]).values("reference")


def is_staff_view(user, case) -> bool:
    """Department staff of the base or its 民政局 see the full case (scores, all milestones)."""
    if user.is_superuser:
        return True
    departments = rights.department_ids(user, DEPARTMENT_ROLES)
    return case.department_id in departments or (
        case.department.parent_id in departments) or any(
        d.code == "mca" for d in Department.objects.filter(pk__in=departments))


def roster(base=None):
    """Organizations admitted to incubation (in incubation or finished), for the roster export."""
    qs = IncubationApplication.objects.filter(
        status__in=[Status.AGREEMENT, Status.INCUBATING, Status.MIDTERM_REVIEW, Status.GRADUATION_REVIEW,
                    Status.EXTENDED, Status.GRADUATED, Status.EXITED]
    ).select_related("organization", "department").order_by("department__code", "admitted_at", "pk")
    if base is not None:
        qs = qs.filter(department=base)
    return qs


def project_library(base=None):
    """Service projects developed in incubation (I4), with whether they entered the excellent
    project library (I6)."""
    qs = Milestone.objects.filter(kind=Milestone.Kind.PROJECT).select_related(
        "application__organization", "application__department").order_by("application__department__code", "pk")
    if base is not None:
        qs = qs.filter(application__department=base)
    return qs


def library_project_ids() -> set:
    return set(Nomination.objects.filter(kind=Nomination.Kind.PROJECT_LIBRARY, state=Nomination.State.APPROVED)
               .values_list("project_id", flat=True))


def is_graduated(organization) -> bool:
    """I6: a graduated organization is an eligible bidder for purchased services."""
    org_id = getattr(organization, "pk", organization)
    return IncubationApplication.objects.filter(organization_id=org_id, status=Status.GRADUATED).exists()


def base_overview(user) -> list:
    """The bases the user works in (or oversees as 民政局): capacity, places taken, waiting
    applications and the base's settings (I2–I5)."""


    departments = rights.department_ids(user, DEPARTMENT_ROLES)
    bases = Department.objects.filter(kind=Department.Kind.INCUBATION_BASE, is_active=True)
    if not user.is_superuser and not Department.objects.filter(pk__in=departments, code="mca").exists():
        bases = bases.filter(Q(pk__in=departments) | Q(parent_id__in=departments))
    bases = list(bases.order_by("code"))
    rows = []
    counts = dict(IncubationApplication.objects.filter(status__in=ADMITTED).values("department_id")
                  .annotate(n=Count("pk")).values_list("department_id", "n"))
    waiting = dict(IncubationApplication.objects.filter(status=Status.WAITLISTED).values("department_id")
                   .annotate(n=Count("pk")).values_list("department_id", "n"))
    stored = {s.base_id: s for s in IncubationBaseSettings.objects.filter(base__in=bases)}
    for base in bases:
        rows.append({"base": base, "admitted": counts.get(base.pk, 0), "waiting": waiting.get(base.pk, 0),
                     "settings": stored.get(base.pk) or IncubationBaseSettings(base=base)})
    return rows
