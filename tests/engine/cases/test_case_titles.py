"""D7: a case's title is composed in the reader's language when it is shown. A task route keeps
the title's arguments (``case_title_args``), not only the text composed when the task was made,
and the queue, the task page, the API and the search read the title in the language chosen."""
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.translation import gettext_lazy
from rest_framework.test import APIClient

from engine.cases import selectors
from engine.cases.models import TaskRoute
from engine.cases.registry import case_models
from engine.directory.models import Department
from tests.engine.cases.conftest import base_people  # noqa: F401
from tests.example.models import ExampleCase
from tests.example.services import example_create

pytestmark = pytest.mark.django_db

backfill = import_module("engine.cases.migrations.0008_route_case_title_args").title_args


@pytest.fixture
def translated_title(monkeypatch):
    """The example case titled with a format the catalogs translate (a dispute's, whose
    Chinese is "%(reference)s %(name)s 的异议"), its subject as the name."""
    monkeypatch.setattr(ExampleCase, "TITLE_FORMAT", gettext_lazy("%(reference)s dispute by %(name)s"))
    monkeypatch.setattr(ExampleCase, "TITLE_FIELDS", {"name": "subject"})


def _create(people, subject="王小明"):
    with translation.override("zh-hans"):  # written in Chinese
        return example_create(actor=people["head"], department=Department.objects.get(code="base-city"),
                              subject=subject)


def test_the_route_keeps_the_arguments_and_shows_the_title_in_the_readers_language(
        base_people, translated_title, django_assert_num_queries):  # noqa: F811
    case = _create(base_people)
    route = TaskRoute.objects.get(reference=case.reference)
    assert route.case_title == f"{case.reference} 王小明 的异议"  # as composed when it was made
    assert route.case_title_args == {"name": "王小明"}
    with django_assert_num_queries(0):  # composed in code: no query per row
        with translation.override("en"):
            assert route.display_case_title == f"{case.reference} dispute by 王小明"
        with translation.override("zh-hans"):
            assert route.display_case_title == f"{case.reference} 王小明 的异议"
    with translation.override("en"):
        assert case.case_title() == f"{case.reference} dispute by 王小明"


def test_a_route_without_arguments_shows_its_stored_title(base_people, translated_title):  # noqa: F811
    case = _create(base_people)
    TaskRoute.objects.filter(reference=case.reference).update(case_title_args=None)
    route = TaskRoute.objects.get(reference=case.reference)
    with translation.override("en"):
        assert route.display_case_title == f"{case.reference} 王小明 的异议"
    # arguments that no longer fit the format: the stored title rather than an error
    route.case_title_args = {"other": "x"}
    assert route.display_case_title == route.case_title


def test_the_migration_backfills_the_arguments_from_the_cases(base_people, translated_title):  # noqa: F811
    cases = [_create(base_people, name) for name in ("王小明", "李华")]
    TaskRoute.objects.update(case_title_args=None)
    backfill(apps, None)
    for case in cases:
        route = TaskRoute.objects.get(reference=case.reference)
        assert route.case_title_args == {"name": case.subject}
        with translation.override("en"):
            assert route.display_case_title == f"{case.reference} dispute by {case.subject}"


def test_queue_page_task_page_and_api_read_the_title_in_english(client, base_people, translated_title):  # noqa: F811
    case = _create(base_people)
    route = TaskRoute.objects.get(reference=case.reference)
    english, chinese = f"{case.reference} dispute by 王小明", f"{case.reference} 王小明 的异议"
    staff = base_people["staff"]
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    for url in ("/workbench/tasks/queue/", route.get_absolute_url()):
        page = client.get(url).content.decode()
        assert english in page and chinese not in page, url
    client.cookies["django_language"] = "zh-hans"
    assert chinese in client.get("/workbench/tasks/queue/").content.decode()

    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(staff)
    (row,) = api.get("/api/v1/tasks/?view=queue").json()["results"]
    assert row["case_title"] == english
    assert api.get(f"/api/v1/tasks/{route.pk}/").json()["case_title"] == english
    assert api.get(f"/api/v1/cases/{case.reference}/").json()["title"] == english


def test_the_title_is_found_by_its_words_in_either_language(base_people, translated_title):  # noqa: F811
    case = _create(base_people)
    route = TaskRoute.objects.get(reference=case.reference)
    staff = base_people["staff"]
    for query in ("dispute", "异议", "王小明"):
        assert [r.pk for r in selectors.task_queue(staff, q=query)] == [route.pk], query


def test_every_case_model_composes_its_title_from_its_own_fields():
    """Each process's case names fields it has and a format whose arguments they fill."""
    for model in case_models():
        args = {name: "x" for name in model.TITLE_FIELDS}
        assert "%(reference)s" in str(model.TITLE_FORMAT), model
        str(model.TITLE_FORMAT) % {**args, "reference": "R"}  # every placeholder is an argument
        for path in model.TITLE_FIELDS.values():
            model._base_manager.values_list(path)  # a path the ORM resolves (raises FieldError otherwise)
        assert ContentType.objects.get_for_model(model).model_class() is model
