"""Write Amazon All Orders flat files (TSV) in any of the three header generations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from decimal import Decimal
from pathlib import Path

from kpiguard.reportgen.model import OrderLine

MWS_29 = [
    "amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date", "order-status",
    "fulfillment-channel", "sales-channel", "order-channel", "url", "ship-service-level",
    "product-name", "sku", "asin", "item-status", "quantity", "currency", "item-price", "item-tax",
    "shipping-price", "shipping-tax", "gift-wrap-price", "gift-wrap-tax", "item-promotion-discount",
    "ship-promotion-discount", "ship-city", "ship-state", "ship-postal-code", "ship-country", "promotion-ids",
]
COLS_32 = MWS_29 + ["is-business-order", "purchase-order-number", "price-designation"]
SP_API = [c for c in COLS_32 if c != "url"] + ["cpf", "signature-confirmation-recommended", "order-item-id"]
VERSIONS = {"mws29": MWS_29, "32": COLS_32, "sp-api": SP_API}

ORDER_STATUS = {"pending": "Pending", "unshipped": "Unshipped", "shipped": "Shipped",
                "delivered": "Shipped - Delivered to Buyer", "cancelled": "Cancelled"}
ITEM_STATUS = {"pending": "Unshipped", "unshipped": "Unshipped", "shipped": "Shipped",
               "delivered": "Shipped", "cancelled": "Cancelled"}
SALES_CHANNEL = {"USD": "Amazon.com", "EUR": "Amazon.de", "GBP": "Amazon.co.uk", "JPY": "Amazon.co.jp"}


def _money(value: Decimal, currency: str) -> str:
    return f"{value:.0f}" if currency == "JPY" else f"{value:.2f}"


def _iso(moment) -> str:  # type: ignore[no-untyped-def]
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def row(line: OrderLine, columns: list[str]) -> list[str]:
    priced = line.status != "pending"  # Amazon leaves prices blank on Pending orders
    cur = line.currency
    values = {
        "amazon-order-id": line.order_id,
        "purchase-date": _iso(line.purchased_at),
        "last-updated-date": _iso(line.updated_at),
        "order-status": ORDER_STATUS[line.status],
        "fulfillment-channel": "Amazon" if line.fulfillment == "platform" else "Merchant",
        "sales-channel": SALES_CHANNEL.get(cur, "Amazon.com"),
        "ship-service-level": "Standard",
        "product-name": line.product.title,
        "sku": line.product.sku,
        "asin": line.product.asin,
        "item-status": ITEM_STATUS[line.status],
        "quantity": str(line.quantity),
        "currency": cur if priced else "",
        "item-price": _money(line.line_total, cur) if priced else "",
        "item-tax": _money(line.tax, cur) if priced else "",
        "shipping-price": _money(line.shipping, cur) if priced else "",
        "shipping-tax": _money(Decimal(0), cur) if priced else "",
        "item-promotion-discount": _money(-line.discount, cur) if priced and line.discount else "",
        "ship-postal-code": line.postal_code,
        "ship-country": line.country,
        "is-business-order": "true" if line.business else "false",
        "order-item-id": line.order_item_id or f"{line.order_id.replace('-', '')[-10:]}{line.line_no:04d}",
        "signature-confirmation-recommended": "false",
    }
    return [values.get(c, "") for c in columns]


def write(path: Path, lines: Iterable[OrderLine], version: str = "32") -> Path:
    columns = VERSIONS[version]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(columns) + "\n")
        for line in lines:
            fh.write("\t".join(row(line, columns)) + "\n")
    return path
