"""Write Shopee orders exports (XLSX), in English (currency inside headers) or Indonesian.

One row per item; order amounts (voucher, shipping, grand total) repeat on each item row (the
reference leaves open whether Shopee repeats them; the importer reads them either way). Numbers
are typed cells, or text with thousands separators (``"1,299"``) with ``text_numbers=True``;
dates are text ``2026-03-04 18:22`` in the store's local time.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from kpiguard.money import exponent
from kpiguard.reportgen.model import OrderLine

ENGLISH = [
    "Order ID", "Order Status", "Cancel reason", "Return / Refund Status", "Tracking Number*",
    "Shipping Option", "Estimated Ship Out Date", "Ship Time", "Order Creation Date",
    "Order Paid Time", "Parent SKU Reference No.", "Product Name", "SKU Reference No.",
    "Variation Name", "Original Price", "Deal Price", "Quantity", "Returned quantity",
    "Product Subtotal", "Total Discount(CUR)", "Price Discount(from Seller)(CUR)",
    "Shopee Rebate(CUR)", "Seller Voucher(CUR)", "Coin Cashback Voucher Amount Sponsored by Seller",
    "Shopee Voucher(CUR)", "Shopee Coins Offset(CUR)", "Credit Card Discount Total(CUR)",
    "Products' Price Paid by Buyer (CUR)", "Buyer Paid Shipping Fee", "Shipping Rebate Estimate",
    "Reverse Shipping Fee", "Service Fee", "Grand Total", "Estimated Shipping Fee",
]
# Indonesian UI. Confirmed: No. Pesanan, Status Pesanan, SKU Induk, No. Referensi SKU, Harga Awal,
# Harga Setelah Diskon, Jumlah, Total Pembayaran, Waktu Pesanan Dibuat; the rest are recalled.
INDONESIAN = {
    "Order ID": "No. Pesanan", "Order Status": "Status Pesanan", "Cancel reason": "Alasan Pembatalan",
    "Order Creation Date": "Waktu Pesanan Dibuat", "Order Paid Time": "Waktu Pembayaran Dilakukan",
    "Parent SKU Reference No.": "SKU Induk", "Product Name": "Nama Produk",
    "SKU Reference No.": "No. Referensi SKU", "Variation Name": "Nama Variasi",
    "Original Price": "Harga Awal", "Deal Price": "Harga Setelah Diskon", "Quantity": "Jumlah",
    "Product Subtotal": "Total Harga Produk", "Total Discount(CUR)": "Total Diskon",
    "Seller Voucher(CUR)": "Voucher Ditanggung Penjual",
    "Buyer Paid Shipping Fee": "Ongkos Kirim Dibayar oleh Pembeli", "Grand Total": "Total Pembayaran",
}
STATUS = {
    "en": {"pending": "Unpaid", "unshipped": "To ship", "shipped": "Shipping", "delivered": "Completed",
           "cancelled": "Cancelled"},
    "id": {"pending": "Belum Bayar", "unshipped": "Perlu Dikirim", "shipped": "Dikirim",
           "delivered": "Selesai", "cancelled": "Batal"},
}


def headers(locale: str, currency: str) -> list[str]:
    if locale == "id":
        return list(INDONESIAN.values())
    return [h.replace("CUR", currency) for h in ENGLISH]


def _number(value: Decimal, currency: str, as_text: bool) -> Decimal | str:
    places = exponent(currency)
    if as_text:  # "1,299", or "1,299.50" when there are cents
        return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.{places}f}"
    return value.quantize(Decimal(1).scaleb(-places))


def _order_rows(lines: list[OrderLine], voucher: Decimal, tz: str, as_text: bool) -> list[dict[str, object]]:
    cur = lines[0].currency
    deal_totals = [ln.line_total - ln.discount for ln in lines]
    shipping = sum((ln.shipping for ln in lines), Decimal(0))
    grand = sum(deal_totals, Decimal(0)) - voucher + shipping
    created: datetime = lines[0].purchased_at.astimezone(ZoneInfo(tz))
    out: list[dict[str, object]] = []
    for line, deal_total in zip(lines, deal_totals, strict=True):
        out.append({
            "Order ID": line.order_id, "Order Creation Date": created.strftime("%Y-%m-%d %H:%M"),
            "Parent SKU Reference No.": line.product.sku.split("-")[0], "Product Name": line.product.title,
            "SKU Reference No.": line.product.sku, "Variation Name": "",
            "Original Price": _number(line.unit_price, cur, as_text),
            "Deal Price": _number(deal_total / line.quantity, cur, as_text), "Quantity": line.quantity,
            "Product Subtotal": _number(deal_total, cur, as_text),
            "Total Discount(CUR)": _number(line.discount + voucher, cur, as_text),
            "Seller Voucher(CUR)": _number(voucher, cur, as_text),
            "Buyer Paid Shipping Fee": _number(shipping, cur, as_text),
            "Grand Total": _number(grand, cur, as_text), "_status": line.status,
        })
    return out


def write(path: Path, lines: list[OrderLine], locale: str = "en", text_numbers: bool = False,
          vouchers: dict[str, Decimal] | None = None, tz: str = "Asia/Manila") -> Path:
    """Render ``lines`` (grouped by order) as a Shopee export workbook."""
    import openpyxl

    currency = lines[0].currency
    english = ENGLISH if locale == "en" else list(INDONESIAN)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "orders"
    sheet.append(headers(locale, currency))
    orders: dict[str, list[OrderLine]] = {}
    for line in lines:
        orders.setdefault(line.order_id, []).append(line)
    for order_id, order_lines in orders.items():
        for values in _order_rows(order_lines, (vouchers or {}).get(order_id, Decimal(0)), tz, text_numbers):
            values["Order Status"] = STATUS[locale][str(values["_status"])]
            sheet.append([values.get(h) for h in english])
    book.save(path)
    return path
