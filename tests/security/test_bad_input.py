"""Bad input to the API gets a 4xx in the API error format with a Chinese detail: never a
500, an HTML page or an English parser message, and nothing changes."""
import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from engine.api.error_views import server_error
from engine.api.parsers import json_depth_exceeds
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _is_chinese_api_error(response, status, code=None):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"code", "detail"}
    if code:
        assert body["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"]), body["detail"]
    return body


@pytest.fixture
def api():
    client = APIClient()
    client.force_authenticate(UserFactory(username="alice"))
    return client


def _post_raw(client, path, body: bytes, content_type="application/json"):
    return client.generic("POST", path, body, content_type=content_type)


def test_oversized_body_is_refused_with_413(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    UserFactory(username="alice")
    body = json.dumps({"username": "alice", "password": "pw-123456", "pad": "x" * 5000}).encode()
    response = _post_raw(APIClient(), "/api/v1/auth/token/", body)
    _is_chinese_api_error(response, 413, "too_large")
    assert not Token.objects.exists()


def test_too_many_form_fields_is_refused(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"f{n}=1" for n in range(50)).encode()
    response = _post_raw(APIClient(), "/api/v1/auth/token/", body, "application/x-www-form-urlencoded")
    _is_chinese_api_error(response, 400, "too_many_fields")


def test_malformed_json_gets_a_chinese_parse_error():
    response = _post_raw(APIClient(), "/api/v1/auth/token/", b'{"username": "alice",')
    body = _is_chinese_api_error(response, 400, "parse_error")
    assert "JSON parse error" not in body["detail"]
    assert not Token.objects.exists()


def test_body_that_is_not_utf8_is_refused():
    response = _post_raw(APIClient(), "/api/v1/auth/token/", '{"username": "张三"}'.encode("gbk"))
    _is_chinese_api_error(response, 400, "parse_error")


@pytest.mark.parametrize("depth", [65, 50_000])
def test_deeply_nested_json_is_refused_before_parsing(api, depth):
    body = b"[" * depth + b"]" * depth
    response = _post_raw(api, "/api/v1/tasks/1/claim/", body)
    _is_chinese_api_error(response, 400, "json_too_deep")


def test_nesting_up_to_the_limit_is_parsed(settings):
    settings.API_JSON_MAX_DEPTH = 64
    body = b'{"username": ' + b"[" * 63 + b"]" * 63 + b', "password": "x"}'
    response = _post_raw(APIClient(), "/api/v1/auth/token/", body)
    body = _is_chinese_api_error(response, 400, "invalid")  # parsed, then refused as a field error
    assert "username" in body["fields"]


def test_brackets_inside_strings_do_not_count():
    assert not json_depth_exceeds(b'{"a": "' + b"[" * 500 + b'"}', 64)
    assert not json_depth_exceeds(b'{"a": "\\"' + b"[" * 500 + b'"}', 64)
    assert json_depth_exceeds(b'{"a": "]]]", "b": ' + b"[" * 65 + b"]" * 65 + b"}", 64)


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity", b"1e999"])
def test_non_finite_numbers_are_refused(literal):
    UserFactory(username="alice")
    response = _post_raw(APIClient(), "/api/v1/auth/token/", b'{"username": "alice", "password": ' + literal + b"}")
    _is_chinese_api_error(response, 400, "json_not_finite")
    assert not Token.objects.exists()


def test_unknown_api_paths_answer_json_404_for_every_method(api):
    for method in ("get", "post", "put", "delete"):
        response = getattr(api, method)("/api/v1/no/such/thing/")
        _is_chinese_api_error(response, 404, "not_found")
    _is_chinese_api_error(APIClient().get("/api/v2/anything/"), 404, "not_found")
    _is_chinese_api_error(APIClient().get("/api/"), 404, "not_found")


@pytest.mark.parametrize("path", [
    "/api/v1/cases/ZB-2026%00-000001/",
    "/api/v1/departments/mca%00/",
    "/api/v1/no%00such/",
])
def test_nul_in_a_path_segment_is_refused(api, path):
    _is_chinese_api_error(api.get(path), 400, "invalid")


def test_nul_in_a_page_path_is_refused_as_plain_text(client):
    response = client.get("/certification/verify/%00/")
    assert response.status_code == 400
    assert "空字符" in response.content.decode()


def test_html_pages_keep_chinese_error_pages(client):
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert "页面不存在" in page.content.decode()


def test_server_error_under_api_is_json(rf):
    response = server_error(rf.get("/api/v1/me/"))
    assert response.status_code == 500
    assert json.loads(response.content)["code"] == "server_error"


@pytest.mark.parametrize("page_size", ["", "0", "101", "-1", "abc", "1.5", "１０"])
def test_page_size_outside_its_bounds_is_refused(api, page_size):
    body = _is_chinese_api_error(api.get("/api/v1/tasks/", {"page_size": page_size}), 400, "invalid")
    assert "page_size" in body["fields"]


def test_page_size_within_bounds_is_used(api):
    assert api.get("/api/v1/tasks/", {"page_size": "100"}).status_code == 200


@pytest.mark.parametrize("flag", ["maybe", "\u00e9", "2"])
def test_a_yes_no_filter_refuses_other_values(api, flag):
    body = _is_chinese_api_error(api.get("/api/v1/tasks/", {"overdue": flag}), 400, "invalid")
    assert "overdue" in body["fields"]
