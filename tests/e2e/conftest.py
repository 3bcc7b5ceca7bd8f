"""Browser tests: Playwright's sync API driving Debian's Chromium against ``live_server``.

Never download a browser: ``executable_path`` points at ``/usr/bin/chromium`` (the
``chromium_path`` fixture in tests/conftest.py skips, or fails under REQUIRE_BROWSER=1, when it
is missing). Playwright's sync API runs an event loop in this thread, so Django's async-safety
check would refuse ORM calls; tests/conftest.py sets DJANGO_ALLOW_ASYNC_UNSAFE for that.

While a page is open, ``asyncio.get_running_loop()`` succeeds in the test, so Django keeps the
test's database connections apart from the ones opened before (asgiref's context-local
storage): ORM calls in the test body use their own connection, which sees committed data only
(fine on PostgreSQL, where ``make test`` runs the browser tests; on in-memory SQLite that
connection would open an empty database).
``browser_page`` closes those connections when it ends; otherwise they would block the flush
between tests and the dropping of the test database.

Use with ``@pytest.mark.e2e`` and ``@pytest.mark.django_db(transaction=True)``: the live server
runs in another thread and must see the test's data committed.

Screenshots go to ``shots``: one folder per test under ``E2E_ARTIFACT_DIR`` (default
``test-results/``, ignored by git), kept after the run to look at.
"""
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import sync_playwright

from engine.directory import demo

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 15_000


@pytest.fixture
def shots(request) -> Path:
    """The folder this test keeps its screenshots in."""
    root = Path(os.environ.get("E2E_ARTIFACT_DIR") or Path(settings.BASE_DIR) / "test-results")
    folder = root / re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def browser_page(chromium_path, live_server, transactional_db):
    """A fresh Playwright page (Chinese locale, Asia/Shanghai); the browser is closed after.

    Depends on ``live_server`` and ``transactional_db`` so that it is set up after them and torn
    down before the database is flushed.
    """
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(
                locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900}
            )
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            yield page
            context.close()
        finally:
            browser.close()
            connections.close_all()  # the ones opened while Playwright's loop was running


@pytest.fixture
def demo_data(transactional_db):
    """Reference data and the demo accounts (engine/directory/demo.py).

    Transactional tests flush the database after each test, which also removes the reference
    data loaded once per session by tests/conftest.py, so it is loaded again here.
    Returns ``{"accounts": [...], "password": ...}``.
    """
    call_command("setup_demo", "--no-demo", verbosity=0)
    return demo.load()


def login(page, live_server, username, password):
    """Log in through the login form; returns the page, on wherever the site sent the user."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    return page
