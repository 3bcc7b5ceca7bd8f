"""D2: a calendar loaded in one process is seen by the others — for real here: another OS
process loads a year's official schedule into the same database with ``load_calendar``, and
this process's next working-day question answers from it. PostgreSQL only: SQLite's test
database lives in this process's memory, where no other process can reach it (the same path
is simulated in-process by test_calendar.py)."""
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from engine.workdays.calendar import is_provisional, is_working_day

ROOT = Path(__file__).resolve().parents[3]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def test_a_year_loaded_by_another_process_is_seen_here(settings, tmp_path):
    settings.WORKDAYS_RECHECK_SECONDS = 0
    holiday, weekday = date(2031, 3, 3), date(2031, 3, 4)
    assert is_provisional(holiday) and is_working_day(holiday)  # this process's snapshot is taken
    schedule = tmp_path / "2031.json"
    schedule.write_text(json.dumps({"year": 2031, "holidays": [[holiday.isoformat(), "测试假日"]], "workdays": []}))
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run([sys.executable, "manage.py", "load_calendar", "--file", str(schedule)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not is_working_day(holiday) and not is_provisional(holiday)
    assert is_working_day(weekday) and not is_provisional(weekday)
