"""Serving: persistent, health-checked connections; public read-only views outside the request
transaction; the gunicorn configuration logs no personal data."""
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import resolve
from rest_framework.test import APIClient

from processes.certification import api as certification_api

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_READS = ["/certification/verify/", "/api/v1/certification/verify/",
                "/api/v1/certification/public-key/", "/api/v1/schema/", "/api/v1/docs/"]


def test_connections_persist_and_are_checked_before_reuse():
    db = settings.DATABASES["default"]
    assert db["CONN_MAX_AGE"] > 0 and db["CONN_HEALTH_CHECKS"] is True
    assert db["ATOMIC_REQUESTS"] is True  # writes keep their request transaction


@pytest.mark.parametrize("url", PUBLIC_READS)
def test_public_reads_are_outside_the_request_transaction(url):
    assert "default" in getattr(resolve(url).func, "_non_atomic_requests", set())


def test_task_actions_keep_the_request_transaction():
    assert not getattr(resolve("/api/v1/tasks/1/claim/").func, "_non_atomic_requests", set())
    assert not getattr(resolve("/api/v1/tasks/").func, "_non_atomic_requests", set())


@pytest.mark.django_db(transaction=True)
def test_verification_runs_without_a_transaction(monkeypatch):
    seen = []

    def answer(self, params):
        seen.append(connection.in_atomic_block)
        return original(self, params)

    original = certification_api.Verify._answer
    monkeypatch.setattr(certification_api.Verify, "_answer", answer)
    response = APIClient().get("/api/v1/certification/verify/", {"number": "ZM-2026-999999", "code": "x" * 8})
    assert response.status_code in (400, 404)
    assert seen == [False]


def test_gunicorn_settings_come_from_the_environment_and_log_no_personal_data(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "20")
    conf = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    assert conf["workers"] == 3 and conf["timeout"] == 20 and conf["preload_app"] is True
    # no client address, user, query string (verification codes), referrer or user agent
    for field in ("%(h)s", "%(u)s", "%(q)s", "%(r)s", "%(f)s", "%(a)s", "%(U)s%(q)s"):
        assert field not in conf["access_log_format"]


def test_production_connections_persist_and_give_up_quickly_on_an_unreachable_database():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "DJANGO_ALLOWED_HOSTS": "x",
                "DJANGO_SECRET_KEY": "k" * 50, "DATABASE_URL": "postgres://u@db.invalid:5432/z",
                "DATABASE_CONN_MAX_AGE": "120"})
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                               "d = settings.DATABASES['default']; "
                               "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], d['OPTIONS']['connect_timeout'])"],
        cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["120", "True", "5"], out.stderr


def test_gunicorn_closes_the_masters_connections_before_forking_a_worker(monkeypatch):
    conf = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    closed = []
    # the test database (SQLite in memory) ignores close(): record the call instead
    monkeypatch.setattr(conf["connections"], "close_all", lambda: closed.append(True))
    conf["pre_fork"](None, None)
    assert closed == [True]
