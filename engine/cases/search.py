"""Finding cases by part of their reference, title, organization or volunteer name.

Every task route keeps ``search_key``: the words a case is found by (``Case.search_words``),
lower-cased, with every character written twice. PostgreSQL's trigram index (``pg_trgm``,
``gin_trgm_ops``, created by migration ``0007_route_search``) serves ``LIKE '%…%'`` on it, but
a trigram needs three characters and a Chinese search is often two (``志愿``): doubled, ``志愿``
becomes ``志志愿愿``, which has two trigrams, and a doubled text contains a doubled query exactly
when the text contains the query. SQLite runs the same ``LIKE`` without an index.
"""
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import translation

from .models import Case, TaskRoute

MAX_TERMS = 5  # a search box, not a query language: more words add nothing but cost


def search_key(text: str) -> str:
    """``text`` as stored in and compared with ``TaskRoute.search_key``."""
    return "".join(ch * 2 for ch in " ".join(str(text).lower().split()))


def case_search_key(case) -> str:
    """The search key of ``case``'s routes: its reference, its title in every language of the
    site (D7: a reader finds a case by the words the list shows them) and the names it is found by."""
    titles = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            titles.append(case.case_title())
    words = [case.reference, *dict.fromkeys(titles), *case.search_words()]
    return search_key(" ".join(w for w in words if w))


def terms(query: str) -> list[str]:
    """The words of a search box, at most ``MAX_TERMS``."""
    return (query or "").split()[:MAX_TERMS]


def matching(query: str, field: str = "search_key") -> Q:
    """Routes whose ``field`` contains every word of ``query`` (an empty query matches all)."""
    match = Q()
    for word in terms(query):
        match &= Q(**{f"{field}__contains": search_key(word)})
    return match


def _title(case) -> str:
    """The case's one line as a new route stores it (``routing.route_new_task``), in the
    site's language: a refresh may run in a worker, where no request chose one."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(case.case_title())[:200]


def refresh_case_search(case) -> int:
    """Rewrite the title (its stored text and the arguments it is shown from in the reader's
    language) and the search key of ``case``'s routes after a name they hold changed (an
    organization renamed, a title corrected); returns the number of routes rewritten."""
    title, args, key = _title(case), case.title_args(), case_search_key(case)
    return TaskRoute.objects.filter(case_type=ContentType.objects.get_for_model(case), case_id=case.pk).exclude(
        Q(search_key=key) & Q(case_title=title) & Q(case_title_args=args)).update(
        search_key=key, case_title=title, case_title_args=args)


def refresh_case_search_on_commit(case) -> None:
    """``refresh_case_search`` once the service's transaction has committed (the routes are
    not rewritten for a change that was rolled back)."""
    transaction.on_commit(lambda: refresh_case_search(case))


def case_models() -> list:
    """Every concrete case model of the installed processes."""
    return [m for m in apps.get_models() if issubclass(m, Case) and not m._meta.abstract]


BATCH = 500


def refresh_search_naming(model, pk) -> int:
    """Rewrite the routes of every case that names the ``model`` row ``pk`` through a foreign
    key (an organization, a volunteer) after its name changed. Per kind of case: one query for
    the cases that have routes, one for their routes, one update per ``BATCH`` routes changed."""
    total = 0
    for case_model in case_models():
        links = [f for f in case_model._meta.concrete_fields if f.many_to_one and f.related_model is model]
        if not links:
            continue
        naming = Q()
        for field in links:
            naming |= Q(**{field.attname: pk})
        case_type = ContentType.objects.get_for_model(case_model)
        with_routes = TaskRoute.objects.filter(case_type=case_type).values("case_id")
        joined = [f.name for f in case_model._meta.concrete_fields if f.many_to_one]
        cases = {c.pk: c for c in case_model.objects.filter(naming, pk__in=with_routes).select_related(*joined)}
        if not cases:
            continue
        fresh = {}
        for case_id, case in cases.items():
            fresh[case_id] = (_title(case), case.title_args(), case_search_key(case))
        changed = []
        routes = TaskRoute.objects.filter(case_type=case_type, case_id__in=case_model.objects.filter(naming).values("pk"))
        for route in routes.only("pk", "case_id", "case_title", "case_title_args", "search_key"):
            title, args, key = fresh[route.case_id]
            if (route.case_title, route.case_title_args, route.search_key) != (title, args, key):
                route.case_title, route.case_title_args, route.search_key = title, args, key
                changed.append(route)
        TaskRoute.objects.bulk_update(changed, ["case_title", "case_title_args", "search_key"], batch_size=BATCH)
        total += len(changed)
    return total
