"""Write eBay Seller Hub orders reports (CSV) with eBay's layout around the data.

Line 1 bare commas, the header on line 2, a blank padding row, the data, then the footer lines
``N,record(s) downloaded,from Mar-01-26 to Mar-31-26`` and ``Seller ID : ...``. A multi-item
order is a summary row (order totals, no item) followed by one row per item with no shipping or
total; a single-item order is one row with everything. ``site="UK"`` renames ``Shipping And
Handling`` to ``Postage And Handling`` and ``Ship To ...`` to ``Post To ...``.
"""

from __future__ import annotations

import csv
import zlib
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from kpiguard.reportgen.model import OrderLine

US = [
    "Sales Record Number", "Order Number", "Buyer Username", "Buyer Name", "Buyer Email", "Buyer Note",
    "Buyer Address 1", "Buyer Address 2", "Buyer City", "Buyer State", "Buyer Zip", "Buyer Country",
    "Buyer Tax Identifier Name", "Buyer Tax Identifier Value", "Ship To Name", "Ship To Phone",
    "Ship To Address 1", "Ship To Address 2", "Ship To City", "Ship To State", "Ship To Zip",
    "Ship To Country", "Item Number", "Item Title", "Custom Label", "Sold Via Promoted Listings",
    "Quantity", "Sold For", "Shipping And Handling", "Item Location", "Item Zip Code", "Item Country",
    "eBay Collect And Remit Tax Rate", "eBay Collect And Remit Tax Type", "eBay Reference Name",
    "eBay Reference Value", "Tax Status", "Seller Collected Tax", "eBay Collected Tax",
    "Electronic Waste Recycling Fee", "Mattress Recycling Fee", "Battery Recycling Fee",
    "White Goods Disposal Tax", "Tire Recycling Fee", "Additional Fee", "Lumber Fee",
    "Prepaid Wireless Fee", "Road Improvement And Food Delivery Fee", "eBay Collected Charges",
    "Total Price", "eBay Collected Tax and Fees Included in Total", "Payment Method", "Sale Date",
    "Paid On Date", "Ship By Date", "Minimum Estimated Delivery Date",
    "Maximum Estimated Delivery Date", "Shipped On Date", "Feedback Left", "Feedback Received",
    "My Item Note", "PayPal Transaction ID", "Shipping Service", "Tracking Number", "Transaction ID",
    "Variation Details", "Global Shipping Program", "Global Shipping Reference ID",
    "Click And Collect", "Click And Collect Reference Number", "eBay Plus",
    "Authenticity Verification Program", "Authenticity Verification Status",
    "Authenticity Verification Outcome Reason", "PSA Vault Program", "Vault Fulfillment Type",
    "eBay Fulfillment Program", "Tax City", "Tax State", "Tax Zip", "Tax Country",
    "eBay International Shipping",
]
UK_NAMES = {"Shipping And Handling": "Postage And Handling", "Ship To Zip": "Post To Postcode",
            "Buyer Zip": "Buyer Postcode"}
SITES = {"US": ("$", "America/Los_Angeles"), "UK": ("£", "Europe/London")}


def header(site: str) -> list[str]:
    if site != "UK":
        return list(US)
    return [UK_NAMES.get(h, h.replace("Ship To ", "Post To ")) for h in US]


def _day(moment: datetime, tz: str) -> str:
    return moment.astimezone(ZoneInfo(tz)).strftime("%b-%d-%y")  # "Mar-05-26": no time, no zone


def _order_rows(record: int, lines: list[OrderLine], symbol: str, tz: str) -> list[dict[str, str]]:
    first = lines[0]
    shipping = sum((ln.shipping for ln in lines), Decimal(0))
    total = sum((ln.line_total + ln.tax for ln in lines), Decimal(0)) + shipping
    order = {
        "Sales Record Number": str(record), "Order Number": first.order_id, "Buyer Username": first.buyer,
        "Sale Date": _day(first.purchased_at, tz),
        "Paid On Date": "" if first.status == "pending" else _day(first.purchased_at, tz),
        "Shipped On Date": _day(first.updated_at, tz) if first.status in ("shipped", "delivered") else "",
        "Ship To Zip": first.postal_code, "Ship To Country": first.country,
    }
    money = {"Shipping And Handling": f"{symbol}{shipping:.2f}", "Total Price": f"{symbol}{total:.2f}"}
    items = []
    for line in lines:
        items.append({
            **order, "Item Number": line.product.asin, "Item Title": line.product.title,
            "Custom Label": line.product.sku, "Sold Via Promoted Listings": "No",
            "Quantity": str(line.quantity), "Sold For": f"{symbol}{line.unit_price:.2f}",
            "eBay Collected Tax": f"{symbol}{line.tax:.2f}",
            "Transaction ID": line.order_item_id or str(2_000_000_000_000 + zlib.crc32(
                f"{line.order_id}/{line.line_no}".encode())),
        })
    if len(lines) == 1:
        return [{**items[0], **money}]
    return [{**order, **money}, *items]  # the summary row carries the order totals


def write(path: Path, lines: list[OrderLine], site: str = "US", tz: str | None = None,
          seller: str = "example_seller") -> Path:
    """Render ``lines`` (grouped by order) as an eBay orders report for ``site`` (US or UK)."""
    symbol, default_tz = SITES[site]
    zone = tz or default_tz
    cols = header(site)
    orders: dict[str, list[OrderLine]] = {}
    for line in lines:
        orders.setdefault(line.order_id, []).append(line)
    days = sorted(ln.purchased_at for ln in lines)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow([""] * len(cols))  # line 1: bare commas
        out.writerow(cols)
        out.writerow([""] * len(cols))  # blank padding row
        for n, order_lines in enumerate(orders.values()):
            for values in _order_rows(5214 + n, order_lines, symbol, zone):
                renamed = {UK_NAMES.get(k, k.replace("Ship To ", "Post To ")) if site == "UK" else k: v
                           for k, v in values.items()}
                out.writerow([renamed.get(c, "") for c in cols])
        out.writerow([str(len(orders)), "record(s) downloaded",
                      f"from {_day(days[0], zone)} to {_day(days[-1], zone)}"])
        out.writerow([f"Seller ID : {seller}"])
    return path
