"""Queue reads: inbox, department queue and archive over ``TaskRoute`` (D1).

Each is one indexed query on the route table plus ``select_related`` for the department
and the people on it: a page costs the same number of queries at ten tasks or a million.
Viewflow's stock ``Task.objects.queue()`` is not used (unindexed ``owner_permission``).
"""
from importlib import import_module

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.utils.functional import cached_property

from engine.directory import rights

from .flows import CaseFlow
from .listing import narrowed, ordered
from .models import TaskRoute
from .registry import case_models

_RELATED = ("task", "department", "owner", "delegate", "escalated_from")
# What a list row shows (API serializer, workbench page): the route's own columns, the step's
# node from the task, the department's name and the holders' names. The wide task and user
# rows are not built whole twenty times a page.
_PAGE_RELATED = ("task", "department", "owner", "delegate")
_PAGE_COLUMNS = (
    *(f.name for f in TaskRoute._meta.concrete_fields), "task__flow_task", "department__code",
    "department__name",
    *(f"{who}__{f}" for who in ("owner", "delegate") for f in ("username", "full_name", "first_name", "last_name")),
)


def case_flows():
    """Every process's flow; importing each case app's ``flows`` module defines it."""
    for app_name in sorted({m._meta.app_config.name for m in case_models()}):
        import_module(f"{app_name}.flows")
    return [f for f in CaseFlow.__subclasses__() if f.case_model is not None]


def refusals(user) -> list[Q]:
    """D3 in the queue: the routes ``user`` may not work, one filter per rule, so the queue does
    not offer them. The same rule ``services.check_separation`` applies at claim and completion:
    a step's ``separate_from`` (earlier steps this person completed, or ``created_by``) and the
    case model's ``conflicting_cases(user)`` (the query behind ``conflicts_with``), when it has one."""
    refused = []
    done = TaskRoute.objects.filter(completed_by_id=user.pk, state=TaskRoute.State.DONE)
    flows = case_flows()
    # one query for the content types not yet cached, whatever the number of processes
    case_types = ContentType.objects.get_for_models(*(f.case_model for f in flows))
    for flow_class in flows:
        model = flow_class.case_model
        case_type = case_types[model]
        for step in flow_class.human_steps():
            here = Q(case_type=case_type, node=step.name)
            if names := [n for n in step.separate_from if n != "created_by"]:
                refused.append(here & Q(case_id__in=done.filter(case_type=case_type, node__in=names).values("case_id")))
            if "created_by" in step.separate_from:
                refused.append(here & Q(case_id__in=model.objects.filter(created_by_id=user.pk).values("pk")))
        if hasattr(model, "conflicting_cases"):
            refused.append(Q(case_type=case_type, case_id__in=model.conflicting_cases(user)))
    return refused


def task_inbox(user, sort=None, **filters):
    """Tasks the user holds: claimed by them, or delegated to them. ``filters`` and ``sort``
    as ``listing.read_filters`` reads them, for every list alike."""
    qs = TaskRoute.objects.filter(
        Q(owner=user) | Q(delegate=user), state=TaskRoute.State.CLAIMED
    ).select_related(*_RELATED)
    return ordered(narrowed(qs, **filters), sort, ("-priority", "due_at", "pk"))


def task_queue(user, sort=None, refused=None, **filters):
    """Unclaimed tasks waiting in the queues of the user's departments and roles. ``refused``:
    ``refused_route_ids(user)`` when the caller already read it (several lists of one page)."""
    keys = rights.queue_keys(user)
    if not keys:
        return TaskRoute.objects.none()
    by_department: dict[int, set] = {}
    for dept_id, role in keys:
        by_department.setdefault(dept_id, set()).add(role)
    match = Q()
    for dept_id, roles in by_department.items():
        match |= Q(department_id=dept_id, role__in=sorted(roles))
    qs = TaskRoute.objects.filter(match, state=TaskRoute.State.OPEN).select_related(*_RELATED)
    if refused is None:
        refused = refused_route_ids(user)
    if refused:
        qs = qs.exclude(pk__in=refused)  # D3: what the user may not work is not offered
    # the order of route_queue_page_idx; the key makes pages stable when due times tie
    return ordered(narrowed(qs, **filters), sort, ("-priority", "due_at", "pk"))


# D3's refusals depend on the user only through their id: the UNION below is built and
# compiled once per process (and content types, database), with a stand-in id that each
# request replaces by the user's. Building it per request was most of a queue page's CPU.
_STAND_IN = -(2**62) - 3
_compiled: dict = {}


def _refusal_statement():
    flows = case_flows()
    key = (connection.vendor, *sorted(ct.pk for ct in ContentType.objects.get_for_models(*(f.case_model for f in flows)).values()))
    if _compiled.get("key") != key:
        stand_in = get_user_model()(pk=_STAND_IN)
        branches = [TaskRoute.objects.filter(q, state=TaskRoute.State.OPEN).order_by().values_list("pk", flat=True)
                    for q in refusals(stand_in)]
        statement = None
        if branches:
            first, *rest = branches
            statement = (first.union(*rest, all=True) if rest else first).query.sql_with_params()
        _compiled.update(key=key, statement=statement)
    return _compiled["statement"]


def refused_route_ids(user) -> list[int]:
    """D3: the open routes ``user`` may not work, as ids, in one query: a UNION of one small
    query per rule of ``refusals``, each driven by the user's own few cases (their
    completed steps, their drafts, their conflicts) through ``route_refusal_idx``. The queue
    then excludes a short id list and keeps its index-only page scan at any queue size; the
    rules inlined in the queue query were re-tested on every queued row."""
    statement = _refusal_statement()
    if statement is None:
        return []
    sql, params = statement
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk if p == _STAND_IN else p for p in params])
        return [pk for (pk,) in cursor.fetchall()]


def task_archive(user, sort=None, **filters):
    """Tasks the user completed, newest first."""
    qs = TaskRoute.objects.filter(completed_by=user, state=TaskRoute.State.DONE).select_related(*_RELATED)
    return ordered(narrowed(qs, **filters), sort, ("-completed_at", "-pk"))


def task_visible(user, route) -> bool:
    """May ``user`` look at this task: it is in their queues, they hold it or finished it."""
    return (
        user.is_superuser
        or route.holder_id == user.pk
        or route.completed_by_id == user.pk
        or (route.department_id, route.role) in rights.queue_keys(user)
        or rights.has_role(user, route.department_id, "head")
    )


def bounded_counts(querysets, bound: int | None = None) -> list[int]:
    """How many rows each of ``querysets`` holds, counting at most ``bound`` + 1 of each (the
    paginator's bound by default), all in one query whatever their number: the counts beside
    saved filters and menu entries."""
    bound = LateRowPaginator.COUNT_BOUND if bound is None else bound
    parts, params = [], []
    for qs in querysets:
        try:
            sql, qs_params = qs.order_by().values("pk")[: bound + 1].query.sql_with_params()
        except EmptyResultSet:  # a queryset known to be empty (.none(), an empty IN list)
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted{len(parts)})")
        params.extend(qs_params)
    if not parts:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return [int(n) for n in cursor.fetchone()]


class LateRowPaginator(Paginator):
    """Sort and slice on the narrow route rows first, then fetch the page's 20 rows with
    their joins: the wide joined rows never reach the sort, whatever the queue's size.

    The count stops at ``COUNT_BOUND``: a department's queue page must not count a million
    rows to say how many pages there are. Past the bound the paginator reports the bound
    with ``count_is_bounded`` set (shown as "10000+"), and the last reachable page is the
    bound's; nobody pages through ten thousand tasks, they filter.
    """

    COUNT_BOUND = 10_000

    def __init__(self, queryset, per_page, **kwargs):
        self.full_queryset = queryset
        self.count_is_bounded = False
        super().__init__(queryset.values_list("pk", flat=True), per_page, **kwargs)

    @cached_property
    def count(self):
        # SELECT COUNT(*) FROM (SELECT ... LIMIT bound + 1): reads at most bound + 1 index entries
        counted = self.object_list.order_by()[: self.COUNT_BOUND + 1].count()
        self.count_is_bounded = counted > self.COUNT_BOUND
        return min(counted, self.COUNT_BOUND)

    def page(self, number):
        page = super().page(number)
        ids = list(page.object_list)
        rows = self.rows(ids)
        page.object_list = [rows[pk] for pk in ids if pk in rows]
        return page

    def rows(self, ids) -> dict:
        """The page's rows by id: routes with what a list row shows of their joins."""
        return {r.pk: r for r in TaskRoute.objects.filter(pk__in=ids).select_related(
            *_PAGE_RELATED).only(*_PAGE_COLUMNS)}
