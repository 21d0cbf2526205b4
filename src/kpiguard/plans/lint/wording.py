"""How lint findings name metrics, roles and numbers, in English and zh-CN.

Findings are read by a seller and an agency arguing over a contract, so a number is written the
way they would write it: money with thousands separators and two places (1,000.00), ratios as
percentages (0.0544 -> 5.44%), growth as a factor (x4.08) or a percentage (+58.7%). Metric names
come from the catalog, so a finding says "Conversion rate (cvr)" / "转化率 (cvr)" and the key the
YAML uses.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from kpiguard.metrics import catalog as catalog_mod

ROLE_NAMES: dict[str, tuple[str, str]] = {
    "operations": ("operations", "运营"),
    "advertising": ("advertising", "广告"),
    "design": ("design", "美工"),
    "customer_service": ("customer service", "客服"),
    "supply_chain": ("supply chain", "供应链"),
}


def metric_name(key: str, lang: str = "en") -> str:
    """``Conversion rate (cvr)``; an unknown key is returned as it is, quoted."""
    try:
        metric = catalog_mod.load().metric(key)
    except KeyError:
        return f"'{key}'"
    return f"{metric.name.get(lang)} ({key})"


def role_name(role: str, lang: str = "en") -> str:
    en, zh = ROLE_NAMES.get(role, (role, role))
    return zh if lang.lower().startswith("zh") else en


def _places(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def number(value: Decimal, unit: str) -> str:
    """A metric value as people write it: money 1,000.00, count 1,225, ratio 5.44%, rating 4.40."""
    if unit == "ratio":
        return f"{_places(value * 100, 2):,}%"
    if unit == "count":
        return f"{_places(value, 0):,}"
    if unit == "days":
        return f"{_places(value, 1):,}"
    return f"{_places(value, 2):,}"


def metric_value(key: str, value: Decimal) -> str:
    """``number`` in the unit the catalog gives ``key`` (money for keys it does not know)."""
    try:
        unit = catalog_mod.load().metric(key).unit
    except KeyError:
        unit = "money"
    return number(value, unit)


def factor(value: Decimal) -> str:
    """x4.08: how many times a level something must become."""
    return f"×{_places(value, 2)}"


def growth(value: Decimal) -> str:
    """A factor as a change: 1.5874 -> +58.7%, 0.9 -> -10.0%."""
    change = _places((value - 1) * 100, 1)
    return f"+{change}%" if change >= 0 else f"{change}%"


def listing(items: list[str], lang: str = "en") -> str:
    return "、".join(items) if lang.lower().startswith("zh") else ", ".join(items)
