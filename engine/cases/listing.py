"""What a task list may be narrowed and sorted by, read from a query string: the workbench's
lists and the API's ``/tasks/`` read the same parameters through ``read_filters``.

Sorting is by a whitelisted key only, each ending in the route's id so that rows whose
sort values tie keep one order from page to page.
"""
import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .errors import RuleViolation
from .models import TaskRoute
from .search import matching

SORTS = {
    "due": ("due_at", "pk"), "-due": ("-due_at", "-pk"),
    "created": ("created_at", "pk"), "-created": ("-created_at", "-pk"),
    "reference": ("reference", "pk"), "-reference": ("-reference", "-pk"),
    "priority": ("-priority", "due_at", "pk"),
    "completed": ("completed_at", "pk"), "-completed": ("-completed_at", "-pk"),
}
SORT_LABELS = {
    "due": gettext_lazy("Due date"), "created": pgettext_lazy("sort", "Created"), "reference": gettext_lazy("Case reference"),
    "priority": gettext_lazy("Priority"), "completed": pgettext_lazy("sort", "Completed"),
}
UNCLAIMED = "none"  # assignee=none: tasks nobody holds
FILTER_NAMES = ("q", "process", "step", "department", "state", "due_after", "due_before", "overdue", "assignee", "sort")


def _flag(value, name, errors):
    if value in (None, ""):
        return None
    if value.lower() in ("1", "true", "yes"):
        return True
    if value.lower() in ("0", "false", "no"):
        return False
    errors[name] = [_("Must be true or false.")]
    return None


def _day(value, name, errors):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors[name] = [_("Enter a date as YYYY-MM-DD.")]
        return None


def read_filters(params) -> dict:
    """The filters and sort key of a query string, as keyword arguments of the task selectors;
    a ``RuleViolation`` naming each bad parameter (nothing is half applied)."""
    errors = {}
    state = params.get("state") or None
    if state and state not in TaskRoute.State.values:
        errors["state"] = [_("Not a valid choice.")]
    sort = params.get("sort") or None
    if sort and sort not in SORTS:
        errors["sort"] = [_("Not a valid choice.")]
    filters = {
        "q": (params.get("q") or "").strip(),
        "process": params.get("process") or None,
        "step": params.get("step") or None,
        "department": params.get("department") or None,
        "state": state,
        "due_after": _day(params.get("due_after"), "due_after", errors),
        "due_before": _day(params.get("due_before"), "due_before", errors),
        "overdue": _flag(params.get("overdue"), "overdue", errors),
        "assignee": params.get("assignee") or None,
        "sort": sort,
    }
    if errors:
        raise RuleViolation(_("Some filters are not valid: %(names)s.") % {"names": ", ".join(errors)}, fields=errors)
    return filters


def _start_of(day):
    """Midnight of ``day`` in the site's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def narrowed(qs, *, q="", process=None, step=None, department=None, state=None, due_after=None,
             due_before=None, overdue=None, assignee=None):
    """``qs`` (task routes) narrowed by the filters ``read_filters`` reads."""
    if q:
        qs = qs.filter(matching(q))
    if process:
        qs = qs.filter(process_name=process)
    if step:
        qs = qs.filter(node=step)
    if department:
        qs = qs.filter(department__code=department)
    if state:
        qs = qs.filter(state=state)
    if due_after:
        qs = qs.filter(due_at__gte=_start_of(due_after))
    if due_before:
        qs = qs.filter(due_at__lt=_start_of(due_before + datetime.timedelta(days=1)))
    if overdue is True:
        qs = qs.filter(due_at__lt=timezone.now())
    elif overdue is False:
        qs = qs.filter(due_at__gte=timezone.now())
    if assignee == UNCLAIMED:
        qs = qs.filter(owner__isnull=True)
    elif assignee:
        qs = qs.filter(Q(owner__username=assignee) | Q(delegate__username=assignee))
    return qs


def ordered(qs, sort, default):
    """``qs`` in the order of the whitelisted ``sort`` key, else ``default``."""
    return qs.order_by(*SORTS.get(sort or "", default))
