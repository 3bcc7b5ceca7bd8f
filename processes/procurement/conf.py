"""Settings of the procurement process (DOMAIN "Procurement"). Each is declared once, with its
rule and default, in ``config/settings/base.py``; nothing here repeats a default. The price
weight and criteria functions are also the tender fields' defaults."""
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _


def methods() -> dict:
    """P3: every procurement method with its minimum period and number of bids."""
    return settings.PROCUREMENT_METHODS


def method(code: str) -> dict:
    return methods()[code]


# The methods' names as users read them, in either language (D7); a method without one here
# shows the settings' label.
METHOD_NAMES = {
    "open": _("Open tender"),
    "invited": _("Invited tender"),
    "negotiation": _("Competitive negotiation"),
    "consultation": _("Competitive consultation"),
    "single_source": _("Single source"),
    "inquiry": _("Request for quotations"),
}

# The methods a tender may use, with their labels (the model field's choices, fixed at start).
METHOD_CHOICES = [(code, METHOD_NAMES.get(code, spec["label"])) for code, spec in settings.PROCUREMENT_METHODS.items()]


def complaint_period_working_days() -> int:
    """P7: bidders may complain within this many working days after the award is published."""
    return int(settings.PROCUREMENT_COMPLAINT_WORKING_DAYS)


def enquiry_answer_working_days() -> int:
    """P10: an enquiry is answered within this many working days (never after the bidding deadline)."""
    return int(settings.PROCUREMENT_ENQUIRY_ANSWER_WORKING_DAYS)


def enquiry_rate() -> str:
    """How many enquiries one account may ask (DRF rate, e.g. ``10/hour``): enough for a real
    bidder, too few to flood a department's list."""
    return settings.PROCUREMENT_ENQUIRY_RATE


def contract_max_years(recurring: bool) -> int:
    """P8: a contract runs at most one year, three for stable recurring services."""
    if recurring:
        return int(settings.PROCUREMENT_CONTRACT_MAX_YEARS_RECURRING)
    return int(settings.PROCUREMENT_CONTRACT_MAX_YEARS)


def default_price_weight() -> Decimal:
    """P5: share of the total score given by the price (基准价/报价 × 价格权重)."""
    return Decimal(str(settings.PROCUREMENT_PRICE_WEIGHT))


def default_criteria() -> list:
    """P5: technical criteria and their weights when the department names none."""
    return [dict(criterion) for criterion in settings.PROCUREMENT_DEFAULT_CRITERIA]


def min_experts() -> int:
    """P5: experts on an evaluation panel."""
    return int(settings.PROCUREMENT_MIN_EXPERTS)


def public_base_url() -> str:
    """P10: the site's address, for links in OCDS releases made outside a request."""
    return str(settings.PROCUREMENT_PUBLIC_BASE_URL)


def ocds_schema_dir() -> Path:
    """P10: where the OCDS 1.1 schema lives (offline); the vendored copy is the fallback."""
    configured = settings.OCDS_SCHEMA_DIR
    candidates = [Path(configured)] if configured else []
    candidates += [Path(settings.BASE_DIR).parent / "shared" / "ocds-1.1", Path(__file__).parent / "ocds"]
    for path in candidates:
        if (path / "release-schema.json").exists():
            return path
    return candidates[-1]


def ocid_prefix() -> str:
    """P10: the prefix of every ocid."""
    return settings.OCDS_OCID_PREFIX


def publisher_name() -> str:
    """P10: the publisher named in every release package."""
    return settings.OCDS_PUBLISHER_NAME
