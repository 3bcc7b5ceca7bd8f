"""Case models by reference prefix, so ``ZB-2026-000042`` finds its tender."""
from django.apps import apps
from django.db.models import Q

from engine.directory import rights

from .models import Case, TaskRoute


def case_models():
    return [m for m in apps.get_models() if issubclass(m, Case) and m.REFERENCE_PREFIX]


def case_by_reference(reference: str):
    """The case with this reference, or None."""
    prefix = (reference or "").split("-", 1)[0]
    for model in case_models():
        if model.REFERENCE_PREFIX == prefix:
            return model.objects.filter(reference=reference).first()
    return None


STAFF, PARTY = "staff", "party"


def case_access(user, case):
    """How ``user`` may see ``case``: ``"staff"`` for the case's department, departments that
    had a task on it and superusers (everything); ``"party"`` for the people the case itself
    admits, such as the applicant organization (status and reasons only); else None."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return STAFF
    departments = rights.department_ids(user)
    if case.department_id in departments or TaskRoute.objects.filter(
        Q(department_id__in=departments) | Q(escalated_from_id__in=departments), reference=case.reference,
    ).exists():
        return STAFF
    return PARTY if case.visible_to(user) else None


def staff_references(user, cases) -> set[str]:
    """The references among ``cases`` that ``user`` sees as staff (``case_access`` is
    ``"staff"``), in one query however many cases: a page links a case to the engine's case
    page only for these, so that no link answers 404."""
    cases = [c for c in cases if c is not None]
    if not user.is_authenticated or not cases:
        return set()
    if user.is_superuser:
        return {c.reference for c in cases}
    departments = rights.department_ids(user)
    own = {c.reference for c in cases if c.department_id in departments}
    others = [c.reference for c in cases if c.reference not in own]
    if departments and others:
        own |= set(TaskRoute.objects.filter(
            Q(department_id__in=departments) | Q(escalated_from_id__in=departments), reference__in=others,
        ).values_list("reference", flat=True))
    return own


def case_visible_to(user, case) -> bool:
    return case_access(user, case) is not None
