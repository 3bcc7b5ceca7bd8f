from zoneinfo import ZoneInfo

import pytest

from engine.workdays import calendar


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Each test reads the calendar from its own (rolled-back) rows, never a neighbour's snapshot."""
    calendar._forget()
    yield
    calendar._forget()


@pytest.fixture
def shanghai():
    return ZoneInfo("Asia/Shanghai")
