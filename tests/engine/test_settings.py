import os
import subprocess
import sys
from pathlib import Path

from rest_framework.test import APIClient

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def _load_production(extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "DJANGO_ALLOWED_HOSTS": "x"})
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _load_production({})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = _load_production({"DJANGO_SECRET_KEY": "k" * 50, "DJANGO_DEBUG": "true"})
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_starts_with_a_key():
    result = _load_production({"DJANGO_SECRET_KEY": "k" * 50})
    assert result.returncode == 0, result.stderr


def test_chinese_by_default(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert ("en", "English") in settings.LANGUAGES


def test_pages_are_chinese_for_an_english_browser_until_english_is_chosen(client, db):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "zh-hans"
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert client.get("/accounts/login/")["Content-Language"] == "en"


def test_nul_characters_are_refused_before_any_view(client, db):
    page = client.post("/accounts/login/", {"username": "a\x00b", "password": "x"})
    assert page.status_code == 400 and "空字符" in page.content.decode()
    api = APIClient()
    api.force_authenticate(UserFactory())
    response = api.post("/api/v1/tasks/1/claim/", {"reason": "a\u0000"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert client.get("/accounts/login/?next=%00").status_code == 400
