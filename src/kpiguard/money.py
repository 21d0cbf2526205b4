"""Money as integer minor units plus an ISO 4217 currency; never binary floats.

Canonical tables store every amount as ``*_minor`` (int64) next to a ``currency`` column. The
exponent of each currency (USD 2, JPY 0, KWD 3) says how many minor units make one major unit.
"""

from __future__ import annotations

from decimal import Decimal

# ISO 4217 currencies sellers meet on the supported marketplaces, with their minor-unit exponent.
CURRENCY_EXPONENTS: dict[str, int] = {
    "USD": 2, "CAD": 2, "MXN": 2, "BRL": 2, "EUR": 2, "GBP": 2, "SEK": 2, "PLN": 2, "CHF": 2,
    "TRY": 2, "AED": 2, "SAR": 2, "EGP": 2, "INR": 2, "AUD": 2, "NZD": 2, "SGD": 2, "MYR": 2,
    "PHP": 2, "THB": 2, "CNY": 2, "HKD": 2, "TWD": 2, "DKK": 2, "NOK": 2, "CZK": 2, "HUF": 2,
    "ZAR": 2, "ILS": 2, "RON": 2, "JPY": 0, "KRW": 0, "VND": 0, "IDR": 0, "CLP": 0, "COP": 2,
    "KWD": 3, "BHD": 3, "OMR": 3, "JOD": 3,
}


def is_known_currency(code: str) -> bool:
    return code in CURRENCY_EXPONENTS


def exponent(currency: str) -> int:
    try:
        return CURRENCY_EXPONENTS[currency]
    except KeyError as exc:
        raise KeyError(f"unknown currency {currency!r}") from exc


def to_minor(amount: Decimal, currency: str) -> int:
    """Exact conversion; refuses amounts finer than the currency's minor unit."""
    scaled = amount.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} has more decimals than {currency} allows")
    return int(scaled)


def from_minor(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-exponent(currency))


def format_money(minor: int, currency: str) -> str:
    """'1234.50 USD' — a plain, unambiguous text form for tables and JSON."""
    value = from_minor(minor, currency)
    return f"{value:.{exponent(currency)}f} {currency}"
