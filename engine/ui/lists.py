"""The workbench's task lists (my tasks, the department queue, completed tasks): their
filters and sort keys (``engine.cases.listing``), the choices their filter form offers, the
saved filters beside them with their counts, and the counts on the menu entries.

Every count of a page comes from one query (``selectors.bounded_counts``), and the D3
refusals of the queue are read once per page, so a page's queries do not grow with the
number of saved filters.
"""
from urllib.parse import urlencode

from django.http import QueryDict

from engine.cases import selectors
from engine.cases.errors import DomainError
from engine.cases.listing import FILTER_NAMES, SORT_LABELS, read_filters
from engine.processes import process_labels

from .models import SavedFilter

SELECTORS = {"inbox": selectors.task_inbox, "queue": selectors.task_queue, "archive": selectors.task_archive}
# the columns a list sorts by, per list (the inbox and queue are work to do; done is history)
SORT_KEYS = {"inbox": ("due", "priority", "created", "reference"), "queue": ("due", "priority", "created", "reference"),
             "archive": ("completed", "due", "reference")}
MENU_COUNTED = ("inbox", "queue")


class Lists:
    """The lists of one user for one page: each list's queryset from a query string, the D3
    refusals read at most once."""

    def __init__(self, user):
        self.user = user
        self._refused = None

    def queryset(self, view, filters: dict):
        if view == "queue":
            if self._refused is None:
                self._refused = selectors.refused_route_ids(self.user)
            return selectors.task_queue(self.user, refused=self._refused, **filters)
        return SELECTORS[view](self.user, **filters)

    def counts(self, pairs) -> list[int]:
        """The number of tasks of each ``(view, query string)``, in one query; a saved query
        that no longer reads (a step renamed) counts nothing."""
        querysets = []
        for view, query in pairs:
            try:
                filters = read_filters(QueryDict(query))
            except DomainError:
                filters = None
            qs = self.queryset(view, filters) if filters is not None else selectors.TaskRoute.objects.none()
            querysets.append(qs)
        return selectors.bounded_counts(querysets)


def menu_counts(request) -> dict:
    """``{"tasks:inbox": n, "tasks:queue": n}`` for the menu, read once per request."""
    counts = getattr(request, "_menu_counts", None)
    if counts is None:
        numbers = Lists(request.user).counts([(view, "") for view in MENU_COUNTED])
        counts = request._menu_counts = {f"tasks:{view}": n for view, n in zip(MENU_COUNTED, numbers, strict=True)}
    return counts


def saved_filters(user, view) -> list:
    """The user's saved filters of ``view``, each with ``count`` (one query for all counts)."""
    saved = list(SavedFilter.objects.filter(user=user, view=view))
    for item, count in zip(saved, Lists(user).counts([(view, s.query) for s in saved]), strict=True):
        item.count = count
    return saved


def step_choices() -> list[tuple[str, str]]:
    """(node, "process · step") of every human step; a node name shared by processes once."""
    labels = process_labels()
    choices = {}
    for flow_class in selectors.case_flows():
        for step in flow_class.human_steps():
            label = f"{labels.get(flow_class.process_name, flow_class.process_name)} · {step.step_title}"
            choices.setdefault(step.name, [])
            if label not in choices[step.name]:
                choices[step.name].append(label)
    return sorted(((node, " / ".join(names)) for node, names in choices.items()), key=lambda c: c[1])


def query_of(params, **changes) -> str:
    """The list's query string with ``changes`` (``None`` drops a parameter), page dropped."""
    values = {name: params.get(name, "") for name in FILTER_NAMES}
    values.update(changes)
    return urlencode({k: v for k, v in values.items() if v not in (None, "")})


def sort_columns(params, view) -> list[dict]:
    """The sortable columns of ``view``: label, the link that sorts by it (ascending, then
    descending when it is the current key) and the arrow of the current one."""
    current = params.get("sort", "")
    columns = []
    for key in SORT_KEYS[view]:
        ascending = key if key != "completed" else "-completed"  # newest first is what one wants first
        descending = "-due" if key == "due" else ("completed" if key == "completed" else f"-{key}")
        if key == "priority":
            descending = None
        active = current in (ascending, descending)
        target = descending if current == ascending and descending else ascending
        columns.append({"key": key, "label": SORT_LABELS[key], "query": query_of(params, sort=target),
                        "arrow": ("▲" if current == ascending else "▼") if active else ""})
    return columns
