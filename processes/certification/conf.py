"""Settings of the certification process (DOMAIN "Certification"). Each is declared once, with
its rule and default, in ``config/settings/base.py``; nothing here repeats a default."""
from decimal import Decimal
from pathlib import Path

from django.conf import settings

MAX_STARS = 5  # R14: five stars at most; a sixth threshold in settings is ignored


def star_thresholds() -> tuple[Decimal, ...]:
    """R14: approved hours needed for one to five stars."""
    return tuple(Decimal(str(v)) for v in settings.CERTIFICATION_STAR_THRESHOLDS)[:MAX_STARS]


def late_working_days() -> int:
    """R3: records entered more than this many working days after the activity are late."""
    return int(settings.CERTIFICATION_RECORD_LATE_WORKING_DAYS)


def public_notice_enabled() -> bool:
    """R15: public notice before a certificate is final."""
    return bool(settings.CERTIFICATION_PUBLIC_NOTICE)


def public_notice_days() -> int:
    """R15: length of the public notice in calendar days."""
    return int(settings.CERTIFICATION_PUBLIC_NOTICE_DAYS)


def appeal_days() -> int:
    """Dispute lifecycle: days after a refusal within which the volunteer may appeal."""
    return int(settings.CERTIFICATION_APPEAL_DAYS)


def appeal_working_days() -> bool:
    """Whether the appeal period counts working days (else calendar days)."""
    return bool(settings.CERTIFICATION_APPEAL_WORKING_DAYS)


def public_base_url() -> str:
    """R10: where the public verification page lives, for QR codes made outside a request."""
    return settings.CERTIFICATION_PUBLIC_BASE_URL.rstrip("/")


def signing_key_setting() -> str:
    """R10: PEM of the Ed25519 private key; empty in development."""
    return settings.CERTIFICATION_SIGNING_KEY


def dev_key_path() -> Path:
    """R10: where the development signing key is made when no key is configured."""
    return Path(settings.CERTIFICATION_DEV_KEY_PATH)


def organizer_review_working_days() -> int:
    """R6: the organization answers a dispute within this many working days."""
    return int(settings.WORKFLOW_SLA_WORKING_DAYS["certification.organizer_review"])


def previous_public_keys() -> dict:
    """R10: public keys (key id → PEM) of earlier signing keys, so certificates signed before a
    key rotation still verify."""
    return dict(settings.CERTIFICATION_PREVIOUS_PUBLIC_KEYS)


def signin_opens_minutes() -> int:
    """R12: volunteers may sign in this many minutes before the activity starts, and until it ends."""
    return int(settings.CERTIFICATION_SIGNIN_OPENS_MINUTES)


def signout_closes_minutes() -> int:
    """R12: sign-out is possible until this many minutes after the activity ends; later, hours
    come only as a back-fill that needs approval."""
    return int(settings.CERTIFICATION_SIGNOUT_CLOSES_MINUTES)


def claim_code_days() -> int:
    """R4: how long a claim code handed to an organization-entered volunteer stays valid."""
    return int(settings.CERTIFICATION_CLAIM_CODE_DAYS)


def claim_code_attempts() -> int:
    """R4: wrong tries after which a claim code stops working (the organization issues a new one)."""
    return int(settings.CERTIFICATION_CLAIM_CODE_ATTEMPTS)


def identity_rate() -> str:
    """D6: rate of the forms and endpoints that take an ID number (registration, claim,
    on-the-spot sign-in, back-fill): enough for a desk at an activity, too few to try numbers
    in bulk."""
    return settings.CERTIFICATION_IDENTITY_RATE


def activity_years_back() -> int:
    """R3: how far back an activity may be registered (late entries are allowed, but a date
    decades ago is a typing error)."""
    return int(settings.CERTIFICATION_ACTIVITY_YEARS_BACK)


def activity_years_ahead() -> int:
    """How far ahead an activity may be registered."""
    return int(settings.CERTIFICATION_ACTIVITY_YEARS_AHEAD)


def school_term_starts() -> tuple[tuple[int, int], tuple[int, int]]:
    """Seed 五(一): (month, day) on which a school year's first and second terms start."""
    first, second = settings.CERTIFICATION_SCHOOL_TERM_STARTS
    return (int(first[0]), int(first[1])), (int(second[0]), int(second[1]))
