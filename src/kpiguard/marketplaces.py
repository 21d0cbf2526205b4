"""Platforms and marketplaces: the defaults a store inherits (currency, time zone, number style).

The time zone is the one the platform's back-end uses to bucket a day for that marketplace (Amazon
US reports its business day in Pacific time, whatever state the seller is in).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PLATFORMS = ("amazon", "ebay", "tiktok_shop", "shopee", "shopify", "erp")

DecimalStyle = Literal["point", "comma"]


@dataclass(frozen=True)
class Marketplace:
    code: str
    currency: str
    timezone: str
    decimal_style: DecimalStyle = "point"  # "1,234.56" (point) or "1.234,56" (comma)
    day_first: bool = True  # 04/03/2026 is 4 March (True) or April 3 (False)


MARKETPLACES: dict[str, Marketplace] = {
    m.code: m
    for m in (
        Marketplace("US", "USD", "America/Los_Angeles", day_first=False),
        Marketplace("CA", "CAD", "America/Los_Angeles", day_first=False),
        Marketplace("MX", "MXN", "America/Los_Angeles"),
        Marketplace("BR", "BRL", "America/Sao_Paulo"),
        Marketplace("UK", "GBP", "Europe/London"),
        Marketplace("DE", "EUR", "Europe/Berlin", decimal_style="comma"),
        Marketplace("FR", "EUR", "Europe/Paris", decimal_style="comma"),
        Marketplace("IT", "EUR", "Europe/Rome", decimal_style="comma"),
        Marketplace("ES", "EUR", "Europe/Madrid", decimal_style="comma"),
        Marketplace("NL", "EUR", "Europe/Amsterdam", decimal_style="comma"),
        Marketplace("SE", "SEK", "Europe/Stockholm", decimal_style="comma"),
        Marketplace("PL", "PLN", "Europe/Warsaw", decimal_style="comma"),
        Marketplace("JP", "JPY", "Asia/Tokyo", day_first=False),
        Marketplace("AU", "AUD", "Australia/Sydney"),
        Marketplace("SG", "SGD", "Asia/Singapore"),
        Marketplace("MY", "MYR", "Asia/Kuala_Lumpur"),
        Marketplace("PH", "PHP", "Asia/Manila"),
        Marketplace("TH", "THB", "Asia/Bangkok"),
        Marketplace("VN", "VND", "Asia/Ho_Chi_Minh"),
        Marketplace("ID", "IDR", "Asia/Jakarta"),
        Marketplace("IN", "INR", "Asia/Kolkata"),
        Marketplace("AE", "AED", "Asia/Dubai"),
        Marketplace("CN", "CNY", "Asia/Shanghai"),
    )
}


def marketplace(code: str) -> Marketplace:
    try:
        return MARKETPLACES[code.upper()]
    except KeyError as exc:
        known = ", ".join(sorted(MARKETPLACES))
        raise KeyError(f"unknown marketplace {code!r}; known: {known}") from exc
