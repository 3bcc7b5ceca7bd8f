"""Where calendar data comes from: the official schedules in the chinesecalendar library, the
statutory holidays computed for a year nobody has published yet, and schedule files (JSON) an
administrator loads when the State Council publishes a year the library does not know."""
import json
from datetime import date
from importlib.metadata import version

import holidays
from chinese_calendar import constants
from django.utils.translation import gettext as _

# chinesecalendar names its holidays in English; the calendar table is shown in Chinese.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}

# Statutory days off under 《全国年节及纪念日放假办法》 as revised in 2024 (from 2025): 元旦 1,
# 春节 4 (除夕 to 初三), 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3. These are the holidays package's
# zh_CN names; its other entries (休息日（由…调休）) are swaps from published schedules, not law.
STATUTORY_NAMES = frozenset({"元旦", "农历除夕", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"})

Days = list[tuple[date, str]]


def library_origin() -> str:
    return f"chinesecalendar {version('chinesecalendar')}"


def statutory_origin() -> str:
    return f"holidays {version('holidays')} 按法定节假日推算"


def library_schedules() -> dict[int, tuple[Days, Days]]:
    """Every year chinesecalendar has an official schedule for: year → (days off, swap workdays)."""
    schedules: dict[int, tuple[Days, Days]] = {}
    for day, name in sorted(constants.holidays.items()):
        schedules.setdefault(day.year, ([], []))[0].append((day, HOLIDAY_NAMES.get(name, name)))
    for day, name in sorted(constants.workdays.items()):
        schedules.setdefault(day.year, ([], []))[1].append((day, f"{HOLIDAY_NAMES.get(name, name)}调休"))
    return schedules


def statutory_holidays(year: int) -> Days:
    """The year's statutory days off with the lunar and solar-term dates computed, no swaps."""
    computed = holidays.China(years=year, observed=False, language="zh_CN")
    days = []
    for day, name in sorted(computed.items()):
        parts = [part.strip() for part in name.split(";") if part.strip() in STATUTORY_NAMES]
        if parts:
            days.append((day, "、".join(parts)))
    return days


def read_schedule_file(path) -> tuple[int, list, list]:
    """Parse `{"year": 2027, "holidays": [["2027-01-01", "元旦"], ...], "workdays": [...]}`;
    an entry may also be a bare date string. Raises ValueError with a message for the user."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise ValueError(_("Cannot read the file %(path)s: %(error)s") % {"path": path, "error": exc.strerror or exc}) from exc
    except json.JSONDecodeError as exc:
        raise ValueError(_("The file is not valid JSON (line %(line)s): %(error)s")
                         % {"line": exc.lineno, "error": exc.msg}) from exc
    if not isinstance(data, dict) or not isinstance(data.get("year"), int):
        raise ValueError(_("The file must hold an object with an integer year field."))
    lists = []
    for key in ("holidays", "workdays"):
        entries = data.get(key, [])
        if not isinstance(entries, list):
            raise ValueError(_("%(key)s must be a list.") % {"key": key})
        lists.append([_entry(key, entry) for entry in entries])
    return data["year"], lists[0], lists[1]


def _entry(key, entry) -> tuple[str, str]:
    if isinstance(entry, str):
        return entry, ""
    if isinstance(entry, list) and 1 <= len(entry) <= 2 and all(isinstance(x, str) for x in entry):
        return entry[0], entry[1] if len(entry) == 2 else ""
    raise ValueError(_('Entries of %(key)s must be ["YYYY-MM-DD", "name"]: %(entry)r') % {"key": key, "entry": entry})
