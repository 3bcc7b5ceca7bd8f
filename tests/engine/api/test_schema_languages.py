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
