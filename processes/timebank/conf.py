"""Settings of the time bank, declared with their rules and defaults in ``config/settings/base.py``."""
from django.conf import settings


def family_transfer_enabled() -> bool:
    """T7: whether a volunteer may give hours to a family member (default off)."""
    return bool(settings.TIMEBANK_FAMILY_TRANSFER)


def answer_days() -> int:
    """T6: working days the provider has to answer a redemption before it expires."""
    return int(settings.TIMEBANK_REDEMPTION_ANSWER_DAYS)
