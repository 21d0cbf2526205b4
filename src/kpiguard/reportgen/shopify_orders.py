"""Write Shopify orders exports (CSV): one row per line item, order fields on the first row only.

``era="current"`` writes today's header; ``era="older"`` the one without ``Outstanding Balance,
Employee, Location, Device ID``. Timestamps are written in the shop's zone with its offset
(``2026-03-05 09:12:38 -0500``); money as plain ``54.50``. Order amounts follow Shopify's
arithmetic: ``Subtotal`` = line totals - discounts, ``Total`` = Subtotal + Shipping + Taxes.
"""

from __future__ import annotations

import csv
import zlib
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from kpiguard.reportgen.model import OrderLine

CURRENT = [
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at",
    "Accepts Marketing", "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code",
    "Discount Amount", "Shipping Method", "Created at", "Lineitem quantity", "Lineitem name",
    "Lineitem price", "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping",
    "Lineitem taxable", "Lineitem fulfillment status", "Billing Name", "Billing Street",
    "Billing Address1", "Billing Address2", "Billing Company", "Billing City", "Billing Zip",
    "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street",
    "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City", "Shipping Zip",
    "Shipping Province", "Shipping Country", "Shipping Phone", "Notes", "Note Attributes",
    "Cancelled at", "Payment Method", "Payment Reference", "Refunded Amount", "Vendor",
    "Outstanding Balance", "Employee", "Location", "Device ID", "Id", "Tags", "Risk Level",
    "Source", "Lineitem discount", "Tax 1 Name", "Tax 1 Value", "Tax 2 Name", "Tax 2 Value",
    "Tax 3 Name", "Tax 3 Value", "Tax 4 Name", "Tax 4 Value", "Tax 5 Name", "Tax 5 Value",
    "Phone", "Receipt Number", "Duties", "Billing Province Name", "Shipping Province Name",
    "Payment ID", "Payment Terms Name", "Next Payment Due At", "Payment References",
]
NEWER_ONLY = {"Outstanding Balance", "Employee", "Location", "Device ID"}
ERAS = {"current": CURRENT, "older": [c for c in CURRENT if c not in NEWER_ONLY]}


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _ts(moment: datetime, tz: str) -> str:
    return moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M:%S %z")


def _financial(lines: list[OrderLine], total: Decimal, refunded: Decimal) -> str:
    status = lines[0].status
    if status == "cancelled":
        return "voided"
    if status == "pending":
        return "pending"
    if refunded:
        return "refunded" if refunded >= total else "partially_refunded"
    return "paid"


def _fulfillment(lines: list[OrderLine]) -> str:
    done = [ln.status in ("shipped", "delivered") for ln in lines]
    return "fulfilled" if all(done) else "partial" if any(done) else "unfulfilled"


def _order_fields(lines: list[OrderLine], refunded: Decimal, tz: str, era: str) -> dict[str, str]:
    """The fields Shopify writes on the first row of an order only."""
    first = lines[0]
    discount = sum((ln.discount for ln in lines), Decimal(0))
    subtotal = sum((ln.line_total for ln in lines), Decimal(0)) - discount
    shipping = sum((ln.shipping for ln in lines), Decimal(0))
    taxes = sum((ln.tax for ln in lines), Decimal(0))
    total = subtotal + shipping + taxes
    fulfillment = _fulfillment(lines)
    paid = first.status not in ("pending", "cancelled")
    fields = {
        "Financial Status": _financial(lines, total, refunded),
        "Paid at": _ts(first.purchased_at + timedelta(seconds=2), tz) if paid else "",
        "Fulfillment Status": fulfillment,
        "Fulfilled at": _ts(first.updated_at, tz) if fulfillment == "fulfilled" else "",
        "Accepts Marketing": "no", "Currency": first.currency, "Subtotal": _money(subtotal),
        "Shipping": _money(shipping), "Taxes": _money(taxes), "Total": _money(total),
        "Discount Code": "SPRING10" if discount else "", "Discount Amount": _money(discount),
        "Shipping Method": "Standard", "Shipping Zip": first.postal_code,
        "Shipping Country": first.country, "Billing Zip": first.postal_code,
        "Cancelled at": _ts(first.updated_at, tz) if first.status == "cancelled" else "",
        "Payment Method": "Shopify Payments", "Refunded Amount": _money(refunded),
        "Id": str(5_000_000_000_000 + zlib.crc32(first.order_id.encode())),
        "Risk Level": "Low", "Source": "web",
    }
    if era == "current":
        fields["Outstanding Balance"] = "0.00"
    return fields


def _line_fields(line: OrderLine, tz: str) -> dict[str, str]:
    return {
        "Name": line.order_id, "Email": line.buyer, "Created at": _ts(line.purchased_at, tz),
        "Lineitem quantity": str(line.quantity), "Lineitem name": line.product.title,
        "Lineitem price": _money(line.unit_price), "Lineitem sku": line.product.sku,
        "Lineitem requires shipping": "true", "Lineitem taxable": "true",
        "Lineitem fulfillment status": "fulfilled" if line.status in ("shipped", "delivered") else "pending",
        "Vendor": "TrailCo", "Lineitem discount": "0",
    }


def write(path: Path, lines: list[OrderLine], era: str = "current",
          refunds: dict[str, Decimal] | None = None, tz: str = "America/New_York") -> Path:
    """Render ``lines`` (grouped by ``order_id`` in first-seen order) as a Shopify export."""
    columns = ERAS[era]
    orders: dict[str, list[OrderLine]] = {}
    for line in lines:
        orders.setdefault(line.order_id, []).append(line)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(columns)
        for order_id, order_lines in orders.items():
            head = _order_fields(order_lines, (refunds or {}).get(order_id, Decimal(0)), tz, era)
            for n, line in enumerate(order_lines):
                values = {**(head if n == 0 else {}), **_line_fields(line, tz)}
                out.writerow([values.get(c, "") for c in columns])
    return path
