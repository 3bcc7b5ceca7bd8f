"""Settings of the incubation process (DOMAIN "Incubation"). Each is declared once, with its
rule and default, in ``config/settings/base.py``; a base starts from these and keeps its own
values in ``IncubationBaseSettings``. The functions are also the model fields' defaults."""
from decimal import Decimal

from django.conf import settings


def period_months() -> int:
    """I4: the incubation period in months."""
    return int(settings.INCUBATION_PERIOD_MONTHS)


def pass_mark() -> Decimal:
    """I2: the experts' average must reach this mark (of 100)."""
    return Decimal(str(settings.INCUBATION_PASS_MARK))


def expert_count() -> int:
    """I2: at least this many experts score each application."""
    return int(settings.INCUBATION_EXPERT_COUNT)


def midterm_enabled() -> bool:
    """I4: whether a mid-term review is held."""
    return bool(settings.INCUBATION_MIDTERM_ENABLED)


def extension_limit() -> int:
    """I5: how many times the period may be extended."""
    return int(settings.INCUBATION_EXTENSION_LIMIT)


def extension_months() -> int:
    """I5: length of one extension in months."""
    return int(settings.INCUBATION_EXTENSION_MONTHS)


def graduation_pass_mark() -> Decimal:
    """I5: the graduation review's average (governance, services, finance) needed to graduate."""
    return Decimal(str(settings.INCUBATION_GRADUATION_PASS_MARK))


def supplements_working_days() -> int:
    """I1: a returned application's supplements are due this many working days after the return."""
    return int(settings.INCUBATION_SUPPLEMENTS_WORKING_DAYS)


def agreement_working_days() -> int:
    """I4: an offered incubation agreement is to be accepted within this many working days."""
    return int(settings.INCUBATION_AGREEMENT_WORKING_DAYS)
