"""Write TikTok Shop orders exports (CSV or XLSX) as Seller Center produces them.

Row 1 is the header, row 2 the description row, then one row per SKU line. Order-level amounts
(shipping, taxes, order amount, order refund amount) repeat on every line of the order. The
address block and the date order depend on the region: the US writes ``MM/DD/YYYY``, other
regions ``DD/MM/YYYY`` (the marketplace's default); JP writes money as ``JPY 1,234``. ``Order ID`` is always text.
"""

from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from kpiguard.marketplaces import marketplace
from kpiguard.reportgen.model import OrderLine

HEAD = [
    "Order ID", "Order Status", "Order Substatus", "Cancelation/Return Type", "Normal or Pre-order",
    "SKU ID", "Seller SKU", "Product Name", "Variation", "Quantity", "Sku Quantity of return",
    "SKU Unit Original Price", "SKU Subtotal Before Discount", "SKU Platform Discount",
    "SKU Seller Discount", "SKU Subtotal After Discount", "Shipping Fee After Discount",
    "Original Shipping Fee", "Shipping Fee Seller Discount", "Shipping Fee Platform Discount",
    "Payment platform discount", "Taxes", "Order Amount", "Order Refund Amount", "Created Time",
    "Paid Time", "RTS Time", "Shipped Time", "Delivered Time", "Cancelled Time", "Cancel By",
    "Cancel Reason", "Fulfillment Type", "Warehouse Name", "Tracking ID", "Delivery Option",
    "Shipping Provider Name", "Buyer Message", "Buyer Username", "Recipient", "Phone #",
]
ADDRESS = {
    "VN": ["Country", "Province", "District", "Commune"],
    "PH": ["Country", "Region", "Province", "Municipality", "Barangay"],
    "ID": ["Zipcode", "Country", "Province", "Regency and City", "Districts", "Villages"],
    "US": ["Zipcode", "Country", "State", "County", "City"],
}
TAIL = ["Detail Address", "Additional address information", "Payment Method", "Weight(kg)",
        "Product Category", "Package ID", "Seller Note", "Checked Status", "Checked Marked by"]
DESCRIPTIONS = {
    "Order ID": "Platform unique order ID.", "Order Status": "Current order status.",
    "Quantity": "SKU sold quantity in the order.", "Created Time": "Order created time.",
    "SKU Subtotal Before Discount": "SKU original price x quantity.",
}
STATUS = {"pending": ("Unpaid", ""), "unshipped": ("Awaiting Shipment", "Awaiting Shipment"),
          "shipped": ("In transit", "In transit"), "delivered": ("Completed", "Completed"),
          "cancelled": ("Cancelled", "Cancelled")}


def columns(region: str) -> list[str]:
    extra = [] if region == "VN" else [" Virtual Bundle Seller SKU"]  # sic: a leading space
    return HEAD + ADDRESS.get(region, ADDRESS["US"]) + TAIL + extra


def _money(value: Decimal, currency: str) -> str:
    if currency == "JPY":
        return f"JPY {value:,.0f}"  # TikTok JP: "JPY 1,234"
    return f"{value:.0f}" if currency in ("VND", "IDR") else f"{value:.2f}"


def _when(moment: datetime, tz: str, month_first: bool) -> str:
    local = moment.astimezone(ZoneInfo(tz))
    return local.strftime("%m/%d/%Y %H:%M:%S" if month_first else "%d/%m/%Y %H:%M:%S")


def _order_values(lines: list[OrderLine], refund: Decimal) -> dict[str, Decimal]:
    after = sum((ln.line_total - ln.discount for ln in lines), Decimal(0))
    shipping = sum((ln.shipping for ln in lines), Decimal(0))
    taxes = sum((ln.tax for ln in lines), Decimal(0))
    return {"Shipping Fee After Discount": shipping, "Original Shipping Fee": shipping, "Taxes": taxes,
            "Order Amount": after + shipping + taxes, "Order Refund Amount": refund}


def _row(line: OrderLine, order: dict[str, Decimal], tz: str, region: str) -> dict[str, str]:
    cur, month_first = line.currency, not marketplace(region).day_first  # US, JP: 03/15/2026
    status, substatus = STATUS[line.status]
    when = _when(line.purchased_at, tz, month_first)
    values = {
        "Order ID": line.order_id, "Order Status": status, "Order Substatus": substatus,
        "Cancelation/Return Type": "Cancel" if line.status == "cancelled" else "",
        "Normal or Pre-order": "Normal", "SKU ID": line.product.asin, "Seller SKU": line.product.sku,
        "Product Name": line.product.title, "Quantity": str(line.quantity),
        "SKU Unit Original Price": _money(line.unit_price, cur),
        "SKU Subtotal Before Discount": _money(line.line_total, cur),
        "SKU Platform Discount": _money(Decimal(0), cur), "SKU Seller Discount": _money(line.discount, cur),
        "SKU Subtotal After Discount": _money(line.line_total - line.discount, cur),
        "Created Time": when, "Paid Time": "" if line.status == "pending" else when,
        "Cancelled Time": _when(line.updated_at, tz, month_first) if line.status == "cancelled" else "",
        "Fulfillment Type": "Fulfillment by seller" if line.fulfillment == "merchant" else "Fulfillment by TikTok Shop",
        "Buyer Username": line.buyer, "Zipcode": line.postal_code, "Country": line.country,
    }
    values.update({k: _money(v, cur) for k, v in order.items()})
    return values


def table(lines: list[OrderLine], region: str, refunds: dict[str, Decimal] | None = None,
          tz: str | None = None) -> list[list[str]]:
    """Header, description row and data rows, as text cells."""
    zone = tz or marketplace(region).timezone
    cols = columns(region)
    out = [cols, [DESCRIPTIONS.get(c.strip(), "") for c in cols]]
    orders: dict[str, list[OrderLine]] = {}
    for line in lines:
        orders.setdefault(line.order_id, []).append(line)
    for order_id, order_lines in orders.items():
        order = _order_values(order_lines, (refunds or {}).get(order_id, Decimal(0)))
        for line in order_lines:
            values = _row(line, order, zone, region)
            out.append([values.get(c, "") for c in cols])
    return out


def write(path: Path, lines: list[OrderLine], fmt: str = "csv", region: str = "US",
          refunds: dict[str, Decimal] | None = None, tz: str | None = None) -> Path:
    """Write the export; ``tz`` defaults to the region's marketplace time zone."""
    cells = table(lines, region, refunds, tz)
    if fmt == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "OrderSKUList"
        for values in cells:
            sheet.append(values)  # every cell is text, Order ID included, as TikTok writes it
        book.save(path)
        return path
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(cells)
    return path
