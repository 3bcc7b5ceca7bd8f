"""Security headers, the content security policy, production's deploy check and CSRF."""
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _production_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    key = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "zhiyuan.example.cn",
        "CERTIFICATION_SIGNING_KEY": key,
    })
    env.update(extra)
    return env


def test_deploy_check_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_when_hsts_is_turned_down():
    """The check above can fail: a short HSTS from the environment is reported."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_production_env(DJANGO_SECURE_HSTS_SECONDS="0"), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def test_production_hsts_defaults_to_a_year():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                               "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS)"],
        cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(365 * 24 * 3600), "True"]


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/v1/me/", "/certification/verify/", "/api/v1/docs/"])
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"  # no inline script, no eval
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_api_docs_page_has_no_inline_script(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert "<script>" not in page.replace(" ", "")
    assert "<script src=" in page


def test_project_templates_have_no_inline_script_or_handler():
    offenders = []
    for folder in ("engine", "processes", "templates"):
        for path in (ROOT / folder).rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+\s*=", text) \
                    or "javascript:" in text:
                offenders.append(path.relative_to(ROOT).as_posix())
    assert offenders == []


def _views(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _views(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_no_html_view_is_exempt_from_csrf():
    """DRF views are csrf_exempt by design (SessionAuthentication enforces CSRF itself);
    every other view that accepts a form must go through CsrfViewMiddleware."""
    exempt = []
    for route, callback in _views():
        view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        if getattr(callback, "csrf_exempt", False) and not (view_class and issubclass(view_class, APIView)):
            exempt.append(route)
    assert exempt == []


def test_session_api_writes_need_the_csrf_token():
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory(username="alice"))
    response = browser.post("/api/v1/auth/logout/")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"] or response.json()["code"] == "permission_denied"


def test_login_form_needs_the_csrf_token():
    UserFactory(username="alice")
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/accounts/login/", {"username": "alice", "password": "pw-123456"})
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()  # the Chinese page, not Django's English one
    assert "_auth_user_id" not in browser.session
