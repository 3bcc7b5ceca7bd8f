"""D7 for the API's own description: the OpenAPI schema and the docs page read in the language
the client asks for (``Accept-Language``, or the ``lang`` parameter drf-spectacular honours),
Chinese by default, so an English client's tools show English and a Chinese one Chinese."""
import json
import re

import pytest

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


def schema(client, **headers):
    answer = client.get("/api/v1/schema/?format=json", **headers)
    assert answer.status_code == 200
    return json.loads(answer.content)


def test_the_schema_follows_the_requested_language(client):
    chinese = schema(client)
    english = schema(client, HTTP_ACCEPT_LANGUAGE="en")
    assert CJK.search(chinese["info"]["title"])
    assert english["info"]["title"] == "Zhiyuan Zhengzhou API"
    assert CJK.search(chinese["info"]["description"]) and not CJK.search(english["info"]["description"])
    # the error answers every operation refers to
    english_errors = [answer["description"] for answer in english["components"]["responses"].values()]
    chinese_errors = [answer["description"] for answer in chinese["components"]["responses"].values()]
    assert english_errors and not any(CJK.search(text) for text in english_errors)
    assert all(CJK.search(text) for text in chinese_errors)
    assert CJK.search(chinese["components"]["schemas"]["Error"]["properties"]["detail"]["description"])


def test_the_docs_page_opens_in_either_language(client):
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        page = client.get("/api/v1/docs/", HTTP_ACCEPT_LANGUAGE=language)
        assert page.status_code == 200 and page["Content-Language"] == language


def _descriptions(document):
    return [(f"{method.upper()} {path}", operation.get(field))
            for path, item in document["paths"].items() for method, operation in item.items()
            if isinstance(operation, dict) for field in ("summary", "description") if operation.get(field)]


def test_the_operations_descriptions_follow_the_requested_language(client):
    """The views' docstrings are English; the catalog has them in Chinese (engine/api/descriptions.py)."""
    chinese = _descriptions(schema(client))
    english = _descriptions(schema(client, HTTP_ACCEPT_LANGUAGE="en"))
    assert len(chinese) == len(english) > 50
    assert [name for name, text in chinese if not CJK.search(text)] == []
    assert [(name, text) for name, text in english if CJK.search(text)] == []


FORMAT_ONLY = re.compile(r"^[A-Z0-9][A-Z0-9 .\-/]*$")  # "SHA-256", "PDF": a format's name reads the same in both


def _texts(node, where=""):
    """Every description, title and summary anywhere in the schema: operations, parameters,
    components and their properties, enums, security schemes."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "title", "summary") and isinstance(value, str):
                if value.strip():
                    yield f"{where}/{key}", value
            else:
                yield from _texts(value, f"{where}/{key}")
    elif isinstance(node, list):
        for number, value in enumerate(node):
            yield from _texts(value, f"{where}[{number}]")


def test_every_description_in_the_schema_follows_the_requested_language(client):
    """Parameters, fields, components and choices too, not only the operations: an English
    client reads no Chinese, a Chinese one no text left in English."""
    english = list(_texts(schema(client, HTTP_ACCEPT_LANGUAGE="en")))
    chinese = list(_texts(schema(client)))
    assert len(english) > 400 and len(chinese) > 400
    assert [(where, text) for where, text in english if CJK.search(text)] == []
    assert [(where, text) for where, text in chinese
            if not CJK.search(text) and not FORMAT_ONLY.match(text)] == []
