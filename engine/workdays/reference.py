"""Reference data for `setup_demo`: the official years chinesecalendar knows and provisional
days off for the years after them, loaded idempotently (a second run writes nothing)."""
from .services import seed_calendar


def load():
    return seed_calendar(reason="setup_demo 载入参考数据", seeding=True)
