"""A fast renderer of Amazon All Orders files for benchmark-sized demos (``--orders-only``).

It writes exactly the bytes ``reportgen.amazon_all_orders.write`` writes (a test compares them),
about three times faster: one format string per header version instead of a dict per row, the
ISO time from ``datetime.isoformat`` (the demo's times are whole seconds in UTC) and amounts
formatted once per distinct value. Ten million lines then take a minute or two, not ten.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from kpiguard.reportgen.amazon_all_orders import ITEM_STATUS, ORDER_STATUS, SALES_CHANNEL, VERSIONS
from kpiguard.reportgen.model import OrderLine

FIELDS = ("amazon-order-id", "purchase-date", "last-updated-date", "order-status", "fulfillment-channel",
          "sales-channel", "product-name", "sku", "asin", "item-status", "quantity", "currency", "item-price",
          "item-tax", "shipping-price", "shipping-tax", "item-promotion-discount", "ship-postal-code",
          "ship-country", "is-business-order", "order-item-id")
CONSTANT = {"ship-service-level": "Standard", "signature-confirmation-recommended": "false"}


def template(columns: list[str]) -> str:
    slot = {name: i for i, name in enumerate(FIELDS)}
    cells = [f"{{{slot[c]}}}" if c in slot else CONSTANT.get(c, "") for c in columns]
    return "\t".join(cells) + "\n"


class _Money(dict[Decimal, str]):
    """Formatted amounts by value: a store sells a few dozen distinct prices."""

    def __init__(self, currency: str) -> None:
        super().__init__()
        self.pattern = "{:.0f}" if currency == "JPY" else "{:.2f}"

    def __missing__(self, value: Decimal) -> str:
        text = self[value] = self.pattern.format(value)
        return text


def _iso(moment: datetime) -> str:
    if moment.tzinfo is UTC and not moment.microsecond:
        return moment.isoformat()  # 2026-03-04T17:22:09+00:00
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def write(path: Path, lines: Iterable[OrderLine], version: str = "32") -> Path:
    columns = VERSIONS[version]
    line_format = template(columns).format
    money: dict[str, _Money] = {}
    zero = Decimal(0)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(columns) + "\n")
        batch: list[str] = []
        for ln in lines:
            cur, status, p = ln.currency, ln.status, ln.product
            m = money.get(cur) or money.setdefault(cur, _Money(cur))
            priced = status != "pending"  # Amazon leaves prices blank on Pending orders
            batch.append(line_format(
                ln.order_id, _iso(ln.purchased_at), _iso(ln.updated_at), ORDER_STATUS[status],
                "Amazon" if ln.fulfillment == "platform" else "Merchant", SALES_CHANNEL.get(cur, "Amazon.com"),
                p.title, p.sku, p.asin, ITEM_STATUS[status], ln.quantity, cur if priced else "",
                m[ln.unit_price * ln.quantity] if priced else "", m[ln.tax] if priced else "",
                m[ln.shipping] if priced else "", m[zero] if priced else "",
                m[-ln.discount] if priced and ln.discount else "", ln.postal_code, ln.country,
                "true" if ln.business else "false",
                ln.order_item_id or f"{ln.order_id.replace('-', '')[-10:]}{ln.line_no:04d}"))
            if len(batch) >= 10000:
                fh.writelines(batch)
                batch.clear()
        fh.writelines(batch)
    return path
