"""Settings of the certification process (DOMAIN "setting"): each reads ``settings.<NAME>``
with the default DOMAIN.md gives, so an administrator changes them without touching code."""
from decimal import Decimal

from django.conf import settings

MAX_STARS = 5  # R14: five stars at most; a sixth threshold in settings is ignored


def star_thresholds() -> tuple[Decimal, ...]:
    """R14: approved hours needed for one to five stars."""
    raw = getattr(settings, "CERTIFICATION_STAR_THRESHOLDS", (100, 300, 600, 1000, 1500))
    return tuple(Decimal(str(v)) for v in raw)[:MAX_STARS]


def late_working_days() -> int:
    """R3: records entered more than this many working days after the activity are late."""
    return int(getattr(settings, "CERTIFICATION_RECORD_LATE_WORKING_DAYS", 10))


def public_notice_enabled() -> bool:
    """R15: public notice before a certificate is final; off by default."""
    return bool(getattr(settings, "CERTIFICATION_PUBLIC_NOTICE", False))


def public_notice_days() -> int:
    """R15: length of the public notice in calendar days (default 7)."""
    return int(getattr(settings, "CERTIFICATION_PUBLIC_NOTICE_DAYS", 7))


def appeal_days() -> int:
    """Dispute lifecycle: days after a refusal within which the volunteer may appeal (default 15)."""
    return int(getattr(settings, "CERTIFICATION_APPEAL_DAYS", 15))


def appeal_working_days() -> bool:
    """Whether the appeal period counts working days (default: calendar days)."""
    return bool(getattr(settings, "CERTIFICATION_APPEAL_WORKING_DAYS", False))


def public_base_url() -> str:
    """Where the public verification page lives, for QR codes made outside a request."""
    return getattr(settings, "CERTIFICATION_PUBLIC_BASE_URL", "http://localhost:8000").rstrip("/")


def signing_key_setting() -> str:
    """PEM of the Ed25519 private key (settings or the environment); empty in development."""
    import os

    return getattr(settings, "CERTIFICATION_SIGNING_KEY", "") or os.environ.get("CERTIFICATION_SIGNING_KEY", "")


def dev_key_path():
    from pathlib import Path

    base = Path(getattr(settings, "VAR_DIR", Path(settings.BASE_DIR) / "var"))
    return Path(getattr(settings, "CERTIFICATION_DEV_KEY_PATH", base / "certification" / "dev-signing-key.pem"))


def organizer_review_working_days() -> int:
    """R6: the organization answers a dispute within this many working days (default 10).
    An explicit ``WORKFLOW_SLA_WORKING_DAYS["certification.organizer_review"]`` wins."""
    table = getattr(settings, "WORKFLOW_SLA_WORKING_DAYS", {})
    return int(table.get("certification.organizer_review",
                         getattr(settings, "CERTIFICATION_DISPUTE_REVIEW_WORKING_DAYS", 10)))


def previous_public_keys() -> dict:
    """Public keys (key id → PEM) of earlier signing keys, so certificates signed before a
    key rotation still verify."""
    return dict(getattr(settings, "CERTIFICATION_PREVIOUS_PUBLIC_KEYS", {}))


def signin_opens_minutes() -> int:
    """R12: volunteers may sign in this many minutes before the activity starts (default 30)
    and until it ends."""
    return int(getattr(settings, "CERTIFICATION_SIGNIN_OPENS_MINUTES", 30))


def signout_closes_minutes() -> int:
    """R12: sign-out is possible until this many minutes after the activity ends (default 120);
    later, hours come only as a back-fill that needs approval."""
    return int(getattr(settings, "CERTIFICATION_SIGNOUT_CLOSES_MINUTES", 120))


def claim_code_days() -> int:
    """How long a claim code handed to an organization-entered volunteer stays valid."""
    return int(getattr(settings, "CERTIFICATION_CLAIM_CODE_DAYS", 14))


def claim_code_attempts() -> int:
    """Wrong tries after which a claim code stops working (the organization issues a new one)."""
    return int(getattr(settings, "CERTIFICATION_CLAIM_CODE_ATTEMPTS", 5))


def identity_rate() -> str:
    """Rate of the forms and endpoints that take an ID number (registration, claim, on-the-spot
    sign-in, back-fill): enough for a desk at an activity, too few to try numbers in bulk."""
    return getattr(settings, "CERTIFICATION_IDENTITY_RATE", "30/min")


def activity_years_back() -> int:
    """How far back an activity may be registered (late entries are allowed, R3, but a date
    decades ago is a typing error)."""
    return int(getattr(settings, "CERTIFICATION_ACTIVITY_YEARS_BACK", 10))


def activity_years_ahead() -> int:
    """How far ahead an activity may be registered."""
    return int(getattr(settings, "CERTIFICATION_ACTIVITY_YEARS_AHEAD", 2))
