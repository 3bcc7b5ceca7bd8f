"""Case models by reference prefix, so ``ZB-2026-000042`` finds its tender."""
from django.apps import apps

from .models import Case


def case_models():
    return [m for m in apps.get_models() if issubclass(m, Case) and m.REFERENCE_PREFIX]


def case_by_reference(reference: str):
    """The case with this reference, or None."""
    prefix = (reference or "").split("-", 1)[0]
    for model in case_models():
        if model.REFERENCE_PREFIX == prefix:
            return model.objects.filter(reference=reference).first()
    return None


def case_visible_to(user, case) -> bool:
    """Staff of a department that had a task on the case, the case's own department, the
    people the case itself admits (applicants), and superusers."""
    from engine.directory import rights

    from .models import TaskRoute

    if not user.is_authenticated:
        return False
    if user.is_superuser or case.visible_to(user):
        return True
    departments = rights.department_ids(user)
    if case.department_id in departments:
        return True
    return TaskRoute.objects.filter(
        reference=case.reference, department_id__in=departments
    ).exists() or TaskRoute.objects.filter(reference=case.reference, escalated_from_id__in=departments).exists()
