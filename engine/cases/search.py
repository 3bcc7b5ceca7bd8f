"""Finding cases by part of their reference, title, organization or volunteer name.

Every task route keeps ``search_key``: the words a case is found by (``Case.search_words``),
lower-cased, with every character written twice. PostgreSQL's trigram index (``pg_trgm``,
``gin_trgm_ops``, created by migration ``0007_route_search``) serves ``LIKE '%…%'`` on it, but
a trigram needs three characters and a Chinese search is often two (``志愿``): doubled, ``志愿``
becomes ``志志愿愿``, which has two trigrams, and a doubled text contains a doubled query exactly
when the text contains the query. SQLite runs the same ``LIKE`` without an index.
"""
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import translation

from .models import TaskRoute

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
            titles.append(case.title())
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


def refresh_case_search(case) -> int:
    """Rewrite the search key of ``case``'s routes after a name it is found by changed (an
    organization renamed, a title corrected), and the title's arguments with it; returns the number of routes rewritten."""
    key = case_search_key(case)
    return TaskRoute.objects.filter(case_type=ContentType.objects.get_for_model(case), case_id=case.pk).exclude(
        search_key=key).update(search_key=key, case_title_args=case.title_args())
