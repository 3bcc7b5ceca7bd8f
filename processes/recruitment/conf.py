"""Settings of the recruitment process, declared with their defaults in ``config/settings/base.py``."""
from datetime import timedelta

from django.conf import settings


def emergency_window() -> timedelta:
    """An emergency recruitment's answer window when the organization names no deadline."""
    return timedelta(minutes=int(settings.RECRUITMENT_EMERGENCY_WINDOW_MINUTES))


def emergency_window_max() -> timedelta:
    """The longest answer window of an emergency recruitment (seed 二(一): a short window)."""
    return timedelta(minutes=int(settings.RECRUITMENT_EMERGENCY_WINDOW_MAX_MINUTES))
