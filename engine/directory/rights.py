"""Who may act where: one place that answers role questions for services and selectors (D1)."""

from .models import DEPARTMENT_ROLES, Department, Membership, OrganizationMember, Role


def _memberships(user):
    """The user's memberships, read once per user object (a request's user lives one request)."""
    if user is None or not user.is_authenticated:
        return ()
    cache = getattr(user, "_membership_cache", None)
    if cache is None:
        cache = tuple(Membership.objects.filter(user=user).values_list("department_id", "role"))
        user._membership_cache = cache
    return cache


def forget(user):
    """Drop the cached memberships after they change."""
    if hasattr(user, "_membership_cache"):
        del user._membership_cache


def has_role(user, department, role) -> bool:
    """True when ``user`` holds ``role`` in ``department`` (a Department or its id)."""
    dept_id = department.pk if isinstance(department, Department) else department
    return (dept_id, role) in _memberships(user)


def has_any_role(user, department, roles) -> bool:
    return any(has_role(user, department, r) for r in roles)


def department_ids(user, roles=DEPARTMENT_ROLES) -> set[int]:
    """Departments where the user holds any of ``roles``."""
    return {d for d, r in _memberships(user) if r in roles and d is not None}


def queue_keys(user) -> set[tuple[int, str]]:
    """(department id, role) pairs whose queues the user works; a head sees every role's queue."""
    keys = set()
    for dept_id, role in _memberships(user):
        if dept_id is None:
            continue
        if role == Role.HEAD:
            keys.update((dept_id, r) for r in DEPARTMENT_ROLES)
        else:
            keys.add((dept_id, role))
    return keys


def is_expert(user) -> bool:
    return any(r == Role.EXPERT for _, r in _memberships(user))


def is_city_leader(user) -> bool:
    return any(r == Role.LEADER for _, r in _memberships(user))


def is_staff_of_any(user) -> bool:
    """Department staff of any role: may use the staff workbench."""
    return bool(user.is_authenticated and (user.is_superuser or department_ids(user)))


def organization_ids(user, *, managers_only=False) -> set[int]:
    if user is None or not user.is_authenticated:
        return set()
    qs = OrganizationMember.objects.filter(user=user)
    if managers_only:
        qs = qs.filter(role=OrganizationMember.Role.MANAGER)
    return set(qs.values_list("organization_id", flat=True))


def acts_for(user, organization) -> bool:
    org_id = getattr(organization, "pk", organization)
    return org_id in organization_ids(user)


def school_ids(user) -> set[int]:
    """Schools (departments of kind ``school``) where the user is the volunteering coordinator:
    each sees only its own students (seed 五(一))."""
    return {d for d, r in _memberships(user) if r == Role.SCHOOL and d is not None}


def sees_all_schools(user) -> bool:
    """The education bureau (教育局, any of its roles, city or district) and the administrator
    see the students of every school (seed 五(一))."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    ids = department_ids(user)
    return bool(ids) and Department.objects.filter(pk__in=ids, kind=Department.Kind.EDU).exists()
