import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from engine.directory import demo
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_schema_and_docs_page(client):
    assert client.get("/api/v1/schema/").status_code == 200
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()  # served locally, nothing fetched


def test_unauthenticated_error_has_code_and_chinese_detail():
    response = APIClient().get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert "身份认证" in response.json()["detail"]


def test_english_when_asked():
    response = APIClient().get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert "credentials" in response.json()["detail"]


def test_token_auth_and_not_found_format():
    UserFactory(username="alice")
    client = APIClient()
    token = client.post("/api/v1/auth/token/", {"username": "alice", "password": "pw-123456"}).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/").json()["username"] == "alice"
    missing = client.get("/api/v1/departments/no-such/")
    assert missing.status_code == 404
    assert missing.json() == {"code": "not_found", "detail": missing.json()["detail"]}


def test_login_page_is_chinese(client):
    page = client.get("/accounts/login/").content.decode()
    assert "登录志愿郑州" in page and 'lang="zh-hans"' in page


def test_demo_accounts_log_in(client, settings):
    demo.load()
    for username, target in (("mca_reviewer", "/workbench/"), ("org_sunshine", "/portal/")):
        client.logout()
        assert client.login(username=username, password=settings.DEMO_PASSWORD)
        assert client.get("/").url.startswith(target)
        assert client.get(target, follow=True).status_code == 200


def test_openapi_schema_is_valid_and_warning_free(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text(encoding="utf-8")
    for path in ("/api/v1/tasks/", "/api/v1/cases/{reference}/", "/api/v1/imports/{resource}/"):
        assert path in text


def test_unknown_api_path_answers_json_404(client):
    response = client.get("/api/v1/no/such/thing/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "接口不存在。"}
