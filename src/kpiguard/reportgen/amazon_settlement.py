"""Write an Amazon settlement flat file V2 (TSV) for one settlement.

Layout as Amazon delivers it: the 24-column header, then the **summary row** (only the first six
columns: settlement id, start, end, deposit date, payout total, currency), then one row per amount
component of each ``FeeLine``. Dates are UTC; ``locale="us"`` writes ``2026-03-05 02:10:44 UTC``
and ``-5.99``, ``locale="de"`` writes ``14.03.2023 07:49:55 UTC`` and ``1141,18`` with
``Amazon.de`` as the marketplace.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from kpiguard.reportgen.model import FeeLine, Settlement

HEADER = [
    "settlement-id", "settlement-start-date", "settlement-end-date", "deposit-date", "total-amount",
    "currency", "transaction-type", "order-id", "merchant-order-id", "adjustment-id", "shipment-id",
    "marketplace-name", "amount-type", "amount-description", "amount", "fulfillment-id",
    "posted-date", "posted-date-time", "order-item-code", "merchant-order-item-id",
    "merchant-adjustment-item-id", "sku", "quantity-purchased", "promotion-id",
]
LOCALES = {
    # (date-time pattern, posted-date pattern, decimal separator, marketplace name)
    "us": ("%Y-%m-%d %H:%M:%S UTC", "%Y-%m-%d", ".", "Amazon.com"),
    "de": ("%d.%m.%Y %H:%M:%S UTC", "%d.%m.%Y", ",", "Amazon.de"),
}


def _amount(value: Decimal, currency: str, separator: str) -> str:
    text = f"{value:.0f}" if currency == "JPY" else f"{value:.2f}"
    return text.replace(".", separator)


def _ref(seed: str, length: int = 14) -> str:
    """A stable made-up id (shipment id, order item code) derived from the order id."""
    return str(int(hashlib.sha256(seed.encode()).hexdigest(), 16))[:length]


def _line(s: Settlement, line: FeeLine, locale: str) -> dict[str, str]:
    stamp, day, separator, marketplace = LOCALES[locale]
    posted = line.posted_at.astimezone(UTC)
    is_order = bool(line.order_id)
    return {
        "settlement-id": s.settlement_id,
        "currency": line.currency,
        "transaction-type": line.transaction_type,
        "order-id": line.order_id,
        "shipment-id": _ref("shipment" + line.order_id, 9) if is_order else "",
        "marketplace-name": marketplace if is_order else "",
        "amount-type": line.amount_type,
        "amount-description": line.amount_description,
        "amount": _amount(line.amount, line.currency, separator),
        "fulfillment-id": "AFN" if is_order else "",
        "posted-date": posted.strftime(day),
        "posted-date-time": posted.strftime(stamp),
        "order-item-code": _ref("item" + line.order_id + line.sku) if is_order else "",
        "sku": line.sku,
        "quantity-purchased": str(line.quantity) if line.quantity else "",
    }


def _summary(s: Settlement, locale: str) -> dict[str, str]:
    stamp, _, separator, _ = LOCALES[locale]

    def at(moment: datetime) -> str:
        return moment.astimezone(UTC).strftime(stamp)

    return {
        "settlement-id": s.settlement_id, "settlement-start-date": at(s.start),
        "settlement-end-date": at(s.end), "deposit-date": at(s.deposit),
        "total-amount": _amount(s.total, s.currency, separator), "currency": s.currency,
    }


def write(path: Path, settlement: Settlement, locale: str = "us") -> Path:
    """The settlement's flat file: header, summary row, one row per amount component."""
    records = [_summary(settlement, locale)] + [_line(settlement, ln, locale) for ln in settlement.lines]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(HEADER) + "\n")
        for record in records:
            fh.write("\t".join(record.get(c, "") for c in HEADER) + "\n")
    return path
