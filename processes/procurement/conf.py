"""Procurement settings (DOMAIN "setting"): read from Django settings with these defaults.

Nothing here is a literal rule in code: periods, minimum bids, weights and term limits can be
overridden per deployment (``PROCUREMENT_METHODS`` etc. in the settings module or environment).
"""
from decimal import Decimal
from pathlib import Path

from django.conf import settings

# P3: minimum bidding period (days, calendar or working) and minimum number of bids per method;
# ``invitation``: only the organizations the department names may bid (邀请招标, 单一来源).
_DEFAULT_METHODS = {
    "open": {"label": "公开招标", "min_days": 20, "working": False, "min_bids": 3, "ocds": "open"},
    "invited": {"label": "邀请招标", "min_days": 20, "working": False, "min_bids": 3, "ocds": "selective", "invitation": True},
    "negotiation": {"label": "竞争性谈判", "min_days": 3, "working": True, "min_bids": 3, "ocds": "limited"},
    "consultation": {"label": "竞争性磋商", "min_days": 10, "working": False, "min_bids": 3, "ocds": "limited"},
    "single_source": {"label": "单一来源", "min_days": 5, "working": True, "min_bids": 1, "ocds": "direct", "invitation": True},
    "inquiry": {"label": "询价", "min_days": 3, "working": True, "min_bids": 3, "ocds": "limited"},
}


def methods() -> dict:
    """Every method with its settings; a deployment may override single keys of a method."""
    custom = getattr(settings, "PROCUREMENT_METHODS", {}) or {}
    merged = {}
    for code, spec in _DEFAULT_METHODS.items():
        merged[code] = {**spec, **custom.get(code, {})}
    return merged


def method(code: str) -> dict:
    return methods()[code]


METHOD_CHOICES = [(code, spec["label"]) for code, spec in _DEFAULT_METHODS.items()]


def complaint_period_working_days() -> int:
    """P7: bidders may complain within this many working days after the award is published."""
    return int(getattr(settings, "PROCUREMENT_COMPLAINT_WORKING_DAYS", 7))


def contract_max_years(recurring: bool) -> int:
    """P8: a contract runs at most one year, three for stable recurring services."""
    if recurring:
        return int(getattr(settings, "PROCUREMENT_CONTRACT_MAX_YEARS_RECURRING", 3))
    return int(getattr(settings, "PROCUREMENT_CONTRACT_MAX_YEARS", 1))


def default_price_weight() -> Decimal:
    """P5: share of the total score given by the price (基准价/报价 × 价格权重)."""
    return Decimal(str(getattr(settings, "PROCUREMENT_PRICE_WEIGHT", 30)))


def default_criteria() -> list:
    """P5: technical criteria and their weights when the department names none."""
    return getattr(settings, "PROCUREMENT_DEFAULT_CRITERIA", [
        {"code": "plan", "name": "服务方案", "weight": 40},
        {"code": "team", "name": "团队与经验", "weight": 30},
    ])


def min_experts() -> int:
    return int(getattr(settings, "PROCUREMENT_MIN_EXPERTS", 3))


def ocds_schema_dir() -> Path:
    """P10: where the OCDS 1.1 schema lives (offline); the vendored copy is the fallback."""
    configured = getattr(settings, "OCDS_SCHEMA_DIR", None)
    candidates = [Path(configured)] if configured else []
    candidates += [Path(settings.BASE_DIR).parent / "shared" / "ocds-1.1", Path(__file__).parent / "ocds"]
    for path in candidates:
        if (path / "release-schema.json").exists():
            return path
    return candidates[-1]


def ocid_prefix() -> str:
    return getattr(settings, "OCDS_OCID_PREFIX", "ocds-zyzz01")


def publisher_name() -> str:
    return getattr(settings, "OCDS_PUBLISHER_NAME", "郑州市财政局（志愿郑州）")
