import os
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from engine.directory.models import Department
from engine.workdays import calendar


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need PostgreSQL (row locks, real concurrency)."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="需要 PostgreSQL（并发测试）")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the reference data (departments, districts)."""
    with django_db_blocker.unblock():
        call_command("setup_demo", "--no-demo", verbosity=0)


@pytest.fixture
def departments(db):
    return {d.code: d for d in Department.objects.all()}


@pytest.fixture
def chromium_path():
    path = "/usr/bin/chromium"
    if not os.path.exists(path) and not shutil.which("chromium"):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("需要 Debian 的 chromium（apt-get install chromium fonts-wqy-zenhei）")
        pytest.skip("未安装 chromium，跳过浏览器测试")
    return path


def pytest_configure(config):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in tests
    settings.DEMO_MODE = False


@pytest.fixture(autouse=True)
def audit_checkpoint_dir(settings, tmp_path):
    """Each test's audit checkpoints in a file of its own: the database rolls back after a
    test, the file would not."""
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "audit")


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request through the test client activates
    the language it asked for in this thread and leaves it active, as a server does until its
    next request, so an English page in one test would make the next test read English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_calendar(settings):
    """Each test reads the working-day calendar afresh, and then keeps it for the test: another
    process's change is looked for every few seconds in production, which would make a query
    count depend on how fast the machine is. Tests of that recheck set it to 0 themselves."""
    settings.WORKDAYS_RECHECK_SECONDS = 3600
    calendar._forget()
    yield
    calendar._forget()


@pytest.fixture
def count_queries():
    """``count_queries(fn)`` runs ``fn`` and returns how many SQL statements it sent (savepoints
    aside): a step's cost, for the query budgets of each process."""
    def count(fn):
        with CaptureQueriesContext(connection) as captured:
            fn()
        return sum(1 for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE")))

    return count
