"""Who sees which figures, and for which period (issue #14 "Who sees what").

A ``Scope`` is what one page shows: the period (a year, or one month of it), the optional
district and department filters, and what the viewer may see. City leaders and
administrators see everything; a department's staff, reviewers and head see their departments
and the departments below them (a city body's district counterparts), and the districts those
serve; an organization sees its own figures; an anonymous visitor the city's aggregates."""
from dataclasses import dataclass, replace
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from engine.directory import rights
from engine.directory.models import DEPARTMENT_ROLES, Department
from engine.formatting import SHANGHAI


class NotAllowed(Exception):
    """The viewer may not open the staff dashboard."""


@dataclass(frozen=True)
class Scope:
    year: int
    month: int | None = None
    district_id: int | None = None
    department_id: int | None = None
    department_ids: frozenset | None = None  # None: every department
    district_ids: frozenset | None = None  # None: every district
    organization_ids: frozenset | None = None  # an organization's own figures (the portal)
    public: bool = False

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month or 1, 1, tzinfo=SHANGHAI)

    @property
    def end(self) -> datetime:
        """The first moment after the period."""
        if self.month and self.month < 12:
            return datetime(self.year, self.month + 1, 1, tzinfo=SHANGHAI)
        return datetime(self.year + 1, 1, 1, tzinfo=SHANGHAI)

    @property
    def is_organization(self) -> bool:
        return self.organization_ids is not None

    @property
    def is_citywide(self) -> bool:
        return self.department_ids is None and not self.is_organization

    def departments(self) -> set | None:
        """Department ids the figures cover: the viewer's, narrowed by the department filter."""
        if self.department_id is not None:
            if self.department_ids is not None and self.department_id not in self.department_ids:
                return set()
            return {self.department_id}
        return None if self.department_ids is None else set(self.department_ids)

    def districts(self) -> set | None:
        if self.district_id is not None:
            if self.district_ids is not None and self.district_id not in self.district_ids:
                return set()
            return {self.district_id}
        return None if self.district_ids is None else set(self.district_ids)

    def department_q(self, field: str = "department") -> Q:
        """Rows of the departments in scope (a Q that keeps everything when unrestricted)."""
        q = Q()
        depts = self.departments()
        if depts is not None:
            q &= Q(**{f"{field}_id__in": depts})
        if self.district_id is not None:
            q &= Q(**{f"{field}__district_id": self.district_id})
        return q

    def district_q(self, field: str = "district") -> Q:
        districts = self.districts()
        return Q() if districts is None else Q(**{f"{field}_id__in": districts})

    def months(self) -> list[datetime]:
        """The first moment of each month of the period."""
        months = [self.month] if self.month else range(1, 13)
        return [datetime(self.year, m, 1, tzinfo=SHANGHAI) for m in months]


def viewer_limits(user) -> dict:
    """What ``user`` may see on the staff dashboard; ``NotAllowed`` for anyone without a
    department role or the city leader's role (an organization, a volunteer, an expert)."""
    if user.is_superuser or rights.is_city_leader(user):
        return {"department_ids": None, "district_ids": None}
    own = rights.department_ids(user, DEPARTMENT_ROLES)
    if not own:
        raise NotAllowed
    visible = list(Department.objects.filter(Q(pk__in=own) | Q(parent_id__in=own)).values("pk", "level", "district_id"))
    city_body = any(d["level"] == Department.Level.CITY for d in visible if d["pk"] in own)
    districts = None if city_body else frozenset(d["district_id"] for d in visible if d["district_id"])
    return {"department_ids": frozenset(d["pk"] for d in visible), "district_ids": districts}


def _int(value, low=None, high=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    if (low is not None and number < low) or (high is not None and number > high):
        return None
    return number


def from_query(params, **limits) -> Scope:
    """The period and filters a page's query string asks for (bad values are ignored: the
    default is the current year, every month, every district and department in scope)."""
    today = timezone.localdate()
    year = _int(params.get("year"), 2000, 2100) or today.year
    return Scope(year=year, month=_int(params.get("month"), 1, 12), district_id=_int(params.get("district")),
                 department_id=_int(params.get("department")), **limits)


def for_organizations(scope: Scope, organization_ids) -> Scope:
    return replace(scope, organization_ids=frozenset(organization_ids), department_id=None, district_id=None)
