"""D7, checked by walking the site: on the demo data, as every demo user (and as a visitor not
signed in), starting from the workbench, the portal and the public pages, every same-site link
is followed once with Chinese chosen and once with English chosen.

- No followed link answers 404 or 500.
- With English chosen, the visible text (HTML without script and style) holds no Chinese
  character apart from the data's own strings (names, titles, addresses … read from the
  database and taken out before the check).
- With Chinese (the default), it holds no English word apart from the data's strings and the
  names of formats and standards (API, PDF, OCDS, XLSX …), no raw code (a task's decision, an
  audit event's action, a choice's stored value where its label differs) and no rule number
  (R4, P1 …): the pages show labels.

The API's error answers (401, 403, 404, 400, 409, 429) are checked the same way per
``Accept-Language``. Links are deduplicated by pattern (numbers and case references made
alike, query values dropped) and the crawl is bounded per user, so it stays quick.
"""
import re
from collections import deque
from html.parser import HTMLParser
from importlib import import_module
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import models
from django.utils import translation
from import_export import resources
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from engine.audit.models import AuditEvent
from engine.cases.models import TaskRoute
from engine.directory.models import Membership, User
from processes.certification.models import Volunteer
from processes.certification.models.volunteers import mask_name
from tests.example import flows as example_flows

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*[A-Za-z]")  # two letters or more: "X" is a symbol
# names of formats, standards and the like that Chinese text uses as they are
FORMAT_NAMES = {
    "API", "PDF", "OCDS", "XLSX", "CSV", "SHA", "BPMN", "JSON", "OpenAPI", "Swagger", "Excel", "Word", "URL",
    "ID", "QR", "Ed", "PEM", "HTTP", "HTTPS", "CSRF", "NUL", "ISO", "UTC", "OK",
    "DOCX", "JPEG", "PNG", "XML", "KB", "MB", "GB", "UTF",
}
API_VALUES = {"true", "false"}  # values an API client sends, named as they are in its error answers
LANGUAGE_NAMES = {"English", "简体中文"}  # the language switch names each language in itself
START_PAGES = ("/", "/workbench/", "/portal/", "/accounts/login/", "/certification/verify/")
# the Django admin (reached from the dashboard's link to correct population figures) is walked on
# its own, with its own rules of what not to follow (test_admin_crawl)
SKIP = re.compile(r"^/(accounts/logout|i18n/setlang|admin/|static|api/v1/auth/logout)")
MAX_PAGES_PER_USER = 120
COMPOSED_ROUTE_FIELDS = ("step_title", "case_title")  # stored in the language of the moment: not data
HIDDEN_CLASSES = ("material-icons", "mdc-list-item__graphic")  # icon ligatures, not read as words


class PageText(HTMLParser):
    """The visible text of a page (no script, style or icon ligatures) and its links."""

    SKIPPED = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.links, self._stack = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("input", "br", "img", "meta", "link", "hr", "source", "col", "area", "base", "wbr"):
            return
        hidden = tag in self.SKIPPED or any(c in (attrs.get("class") or "") for c in HIDDEN_CLASSES)
        self._stack.append(hidden or (self._stack[-1] if self._stack else False))

    def handle_endtag(self, tag):
        if self._stack and tag not in ("input", "br", "img", "meta", "link", "hr", "source", "col", "area",
                                       "base", "wbr"):
            self._stack.pop()

    def handle_data(self, data):
        if not (self._stack and self._stack[-1]) and data.strip():
            self.text.append(data.strip())


def data_strings() -> list[str]:
    """Every text the demo data holds: char and text fields without choices (codes shown as
    labels are interface), and string values inside JSON fields, of all the project's models.
    The stored step and case titles are left out: they were composed in the language active
    when the task was made, and pages show the flow's step title and the case's title composed
    in the reader's language (``TaskRoute.display_step_title``, ``display_case_title``); the
    names in a case title (an organization's, a volunteer's) are data of their own models."""
    values = set()
    for model in apps.get_models():
        if not model.__module__.startswith(("engine.", "processes.")):
            continue
        for field in model._meta.concrete_fields:
            if field.choices or (model is TaskRoute and field.name in COMPOSED_ROUTE_FIELDS):
                continue
            if isinstance(field, (models.CharField, models.TextField)):
                values.update(v for v in model.objects.values_list(field.attname, flat=True).distinct() if isinstance(v, str))
            elif isinstance(field, models.JSONField) and model._meta.label != "audit.AuditEvent":
                for blob in model.objects.values_list(field.attname, flat=True):
                    values.update(_json_strings(blob))
    values |= example_strings()
    values = {v.strip() for v in values}
    # as pages show them: a sentence without its full stop, a volunteer's name masked (R10)
    values |= {v.rstrip("。.") for v in values} | {mask_name(name) for name in Volunteer.objects.values_list(
        "real_name", flat=True)}
    return sorted({v for v in values if v}, key=len, reverse=True)


def example_strings() -> set[str]:
    """The test settings' example process (``tests.example``) is test data too: its flows'
    titles and step titles, and its name in the process lists."""
    values = {"example"}
    for flow_class in vars(example_flows).values():
        if isinstance(flow_class, type) and hasattr(flow_class, "instance") and flow_class.__module__ == example_flows.__name__:
            values.add(str(getattr(flow_class, "process_title", "")))
            values.update(str(node.step_title) for node in flow_class.instance.nodes() if getattr(node, "step_title", None))
    return values


def import_columns() -> set[str]:
    """The column names of the import files (a file format: the same in either language)."""
    names = set()
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.resources")
        except ModuleNotFoundError:
            continue
        for resource in vars(module).values():
            if isinstance(resource, type) and issubclass(resource, resources.Resource):
                names.update(field.column_name for field in resource().fields.values() if field.column_name)
    return names


def _json_strings(blob):
    if isinstance(blob, str):
        yield blob
    elif isinstance(blob, dict):
        for key, value in blob.items():
            yield from _json_strings(value)
    elif isinstance(blob, list):
        for value in blob:
            yield from _json_strings(value)


def pattern(url: str) -> str:
    """Links that differ only in numbers, case references or query values count once."""
    parts = urlsplit(url)
    path = re.sub(r"[A-Z]{2}-\d{4}-\d+", "REF", parts.path)
    path = re.sub(r"\d+", "N", path)
    keys = sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(keys) if keys else "")


def same_site(base: str, href: str, skip: re.Pattern = SKIP) -> str | None:
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    url = urlsplit(urljoin("http://testserver" + base, href))
    if url.netloc not in ("testserver", "") or skip.match(url.path):
        return None
    return url.path + (f"?{url.query}" if url.query else "")


def crawl(client, starts, *, skip=SKIP, limit=MAX_PAGES_PER_USER, pattern=pattern):
    """Visit from ``starts`` breadth first, links ``skip`` matches left out, at most ``limit``
    pages, one per ``pattern``; returns {url: (status, content type, visible text, referrer)}."""
    seen, visited, queue = set(), {}, deque((start, "(start)") for start in starts)
    while queue and len(visited) < limit:
        url, referrer = queue.popleft()
        if pattern(url) in seen:
            continue
        seen.add(pattern(url))
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        text = ""
        if response.status_code in (301, 302, 303, 307, 308):
            target = same_site(url, response["Location"], skip)
            if target:
                queue.append((target, url))
        elif "text/html" in content_type:
            parser = PageText()
            parser.feed(response.content.decode())
            text = "\n".join(parser.text)
            queue.extend((link, url) for href in parser.links if (link := same_site(url, href, skip)))
        visited[url] = (response.status_code, content_type, text, referrer)
    return visited


ADDRESS = re.compile(r"(?:https?://[^\s]+|/[\w\-./?=&%]+/)")  # a web address shown as text is no word


class Data:
    """The data's strings, to take out of a page's text before looking for the other language.

    A string of two characters or more is taken out wherever it occurs (Latin ones only as whole
    words, so a short code such as "pub" does not cut an interface word in two); a one-character
    value (a unit such as 项) only where it is a whole text of its own, e.g. a table cell."""

    def __init__(self, values):
        longer = sorted((v for v in values if len(v) > 1), key=len, reverse=True)
        self.pattern = re.compile("|".join(
            re.escape(v) if CJK.search(v) else rf"(?<![A-Za-z0-9]){re.escape(v)}(?![A-Za-z0-9])" for v in longer))
        self.whole = set(values)


def strip(text: str, data: Data) -> str:
    lines = (line for line in text.split("\n") if line.strip() not in data.whole)
    return ADDRESS.sub(" ", data.pattern.sub(" ", "\n".join(lines)))


CODE = re.compile(r"^[a-z][a-z0-9]*(?:[._][a-z0-9]+)+$|^[a-z]{3,}$")  # accept, intake_return, cert.issued
RULE_NUMBER = re.compile(r"\b[RIPDC]\d{1,2}[a-z]?\b")


def raw_codes() -> set[str]:
    """The codes the database stores where pages show labels: tasks' decisions, audit events'
    actions and the values of every choice field of the project's models that differ from their
    label (ASCII identifiers only: a number or a Chinese value is no code)."""
    codes = set(TaskRoute.objects.exclude(decision="").values_list("decision", flat=True).distinct())
    codes |= set(AuditEvent.objects.values_list("action", flat=True).distinct())
    for model in apps.get_models():
        if not model.__module__.startswith(("engine.", "processes.")):
            continue
        for field in model._meta.concrete_fields:
            codes |= {str(value) for value, label in field.flatchoices if str(value) != str(label)}
    return {code for code in codes if CODE.match(code)}


def code_leaks(text: str, codes: set[str]) -> set[str]:
    """Raw codes and rule numbers among the words of a page's text (data already taken out)."""
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9_.]*[A-Za-z0-9]", text))
    return {w for w in words if w in codes or w.rstrip(".") in codes} | set(RULE_NUMBER.findall(text))


def english_words(text: str) -> set[str]:
    return {word for word in ENGLISH_WORD.findall(text) if word not in FORMAT_NAMES}


def leaks(text: str, language: str) -> set[str]:
    if language == "en":
        return set(CJK.findall(text))
    return english_words(text)


@pytest.fixture
def demo(db, settings):
    settings.DEMO_MODE = True
    with translation.override("zh-hans"):  # the data is made in Chinese, then read in either language
        call_command("setup_demo", verbosity=0)
    cache.clear()
    return Data({*data_strings(), *import_columns(), *LANGUAGE_NAMES})


def visitors():
    return [None, *User.objects.order_by("username").values_list("username", flat=True)]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_linked_page_answers_and_reads_in_the_chosen_language(client, demo, language):
    broken, leaked, patterns, codes = [], {}, set(), raw_codes()
    assert "accept" in codes and any("." in code for code in codes), sorted(codes)  # decisions and actions read
    for username in visitors():
        client.logout()
        client.cookies.clear()
        client.cookies["django_language"] = language
        if username:
            client.force_login(User.objects.get(username=username))
        for url, (status, content_type, text, referrer) in crawl(client, START_PAGES).items():
            patterns.add(pattern(url))
            if status in (404, 500):
                broken.append((username, url, status, referrer))
            visible = strip(text, demo)
            words = leaks(visible, language)
            if language == "zh-hans":
                words |= {f"[{code}]" for code in code_leaks(visible, codes)}
            if words:
                leaked.setdefault(pattern(url), set()).update(words)
    report = [f"{status} {url} (as {user or 'visitor'}, linked from {referrer})" for user, url, status, referrer in broken]
    report += [f"{url}: {' '.join(sorted(words))}" for url, words in sorted(leaked.items())]
    assert not report, "\n".join(report)
    assert len(patterns) > 30, "\n".join(sorted(patterns))  # the walk reached the processes' pages, not just the start


def test_a_raw_code_or_a_rule_number_in_the_text_is_found():
    codes = {"accept", "intake_return", "cert.issued"}
    assert code_leaks("已受理（accept），证书 cert.issued。依据 R4、P12a", codes) == {"accept", "cert.issued", "R4", "P12a"}
    assert code_leaks("intake_return", codes) == {"intake_return"}
    assert not code_leaks("已受理 PDF API 2025 年 R100 Acceptance", codes)


# -- the API's error answers ------------------------------------------------------------------

def _api(language, user=None):
    api = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if user:
        api.force_authenticate(user)
    return api


def contested_task():
    """An unclaimed task of a department queue, the person of that queue who claims it first, and
    a colleague (given the same role here) who then tries to."""
    route = TaskRoute.objects.open().filter(owner=None, personal=False).select_related("department").first()
    first = User.objects.filter(memberships__department=route.department, memberships__role=route.role).first()
    second = User.objects.get(username="admin")
    Membership.objects.create(user=second, department=route.department, role=route.role)
    return route, first, second


def error_answers(language, monkeypatch):
    """One answer of each error status the API gives, asked in ``language``."""
    anonymous = _api(language)
    route, first, second = contested_task()
    holder = _api(language, first)
    holder.post(f"/api/v1/tasks/{route.pk}/claim/", {}, format="json")
    staff = _api(language, second)
    cache.clear()
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {**api_settings.DEFAULT_THROTTLE_RATES,
                                                               "public_verify": "1/min"})
    anonymous.get("/api/v1/certification/verify/", {"number": "ZS-0", "code": "X"})
    answers = {
        401: anonymous.get("/api/v1/tasks/"),
        403: holder.post(f"/api/v1/tasks/{route.pk}/reassign/", {"user": second.pk}, format="json"),
        404: staff.get("/api/v1/tasks/999999999/"),
        400: staff.get("/api/v1/tasks/?overdue=perhaps"),
        409: staff.post(f"/api/v1/tasks/{route.pk}/claim/", {}, format="json"),
        429: anonymous.get("/api/v1/certification/verify/", {"number": "ZS-0", "code": "X"}),
    }
    missing = _api(language).get("/api/v1/no-such-endpoint/")
    return answers, missing


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_api_error_answers_read_in_the_language_asked(demo, language, monkeypatch):
    answers, missing = error_answers(language, monkeypatch)
    assert missing.status_code == 404
    for status, response in [*answers.items(), (404, missing)]:
        assert response.status_code == status, (status, response.status_code, response.content.decode())
        body = response.json()
        detail = " ".join(str(v) for v in _json_strings(body) if v != body.get("code"))
        assert detail.strip(), (status, body)
        assert not leaks(strip(detail, demo), language) - API_VALUES, (status, body)
        if language == "zh-hans":
            assert CJK.search(detail), (status, body)
        else:
            assert english_words(detail), (status, body)
