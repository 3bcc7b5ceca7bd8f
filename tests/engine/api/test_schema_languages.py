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
    # the error answers every operation refers to (the operations' own descriptions are the
    # views' docstrings, English with Chinese terms, in every language: not yet translated)
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
