"""Settings of the incubation process (DOMAIN "Incubation"), read from Django settings with
the defaults DOMAIN.md names. Per-base values live in ``IncubationBaseSettings``; these are
the defaults a base starts with."""
from decimal import Decimal

from django.conf import settings


def period_months() -> int:
    """I4: incubation period, default 12 months."""
    return int(getattr(settings, "INCUBATION_PERIOD_MONTHS", 12))


def pass_mark() -> Decimal:
    """I2: the experts' average must reach this mark (of 100), default 60."""
    return Decimal(str(getattr(settings, "INCUBATION_PASS_MARK", "60")))


def expert_count() -> int:
    """I2: at least N experts score each application, default 3."""
    return int(getattr(settings, "INCUBATION_EXPERT_COUNT", 3))


def midterm_enabled() -> bool:
    """I4: optional mid-term review, default off."""
    return bool(getattr(settings, "INCUBATION_MIDTERM_ENABLED", False))


def extension_limit() -> int:
    """I5: how many times the period may be extended, default once."""
    return int(getattr(settings, "INCUBATION_EXTENSION_LIMIT", 1))


def extension_months() -> int:
    """I5: length of one extension, default 6 months."""
    return int(getattr(settings, "INCUBATION_EXTENSION_MONTHS", 6))


def graduation_pass_mark() -> Decimal:
    """I5: the graduation review's average (governance, services, finance) needed to graduate."""
    return Decimal(str(getattr(settings, "INCUBATION_GRADUATION_PASS_MARK", "60")))
