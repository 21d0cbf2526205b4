"""Shopee orders export (XLSX): currency in headers, Indonesian headers, text numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from kpiguard.errors import InputError
from kpiguard.ingest.load import import_file
from kpiguard.reportgen import shopee_orders
from kpiguard.reportgen.model import OrderLine, Product
from tests.conftest import add_store, rows

BOTTLE = Product("TWB-750-BLU", "", "Trail Water Bottle 750ml")
BRUSH = Product("BRUSH-01", "", "Bottle Brush")


def line(order_id: str, at: datetime, product: Product, qty: int, price: str, currency: str = "PHP",
         status: str = "delivered", **kw) -> OrderLine:
    return OrderLine(order_id, 1, at, at, status, product, qty, Decimal(price), currency, **kw)


def test_ph_golden_order_with_voucher_and_shipping(ws, tmp_path):
    add_store(ws, "trail-ph", "shopee", "PH")
    # 10:22 UTC is 18:22 in Manila (UTC+8), written "2026-03-04 18:22".
    at = datetime(2026, 3, 4, 10, 22, tzinfo=UTC)
    lines = [
        # Original 899, deal 749 (300 off the line of 2), shipping 39 for the order.
        line("260304ABCD12EF", at, BOTTLE, 2, "899", discount=Decimal("300"), shipping=Decimal("39")),
        line("260304ABCD12EF", at, BRUSH, 1, "199"),
    ]
    path = shopee_orders.write(tmp_path / "Order.all.xlsx", lines, vouchers={"260304ABCD12EF": Decimal("50")})
    result = import_file(ws, path, "trail-ph")
    assert result.format_key == "shopee_orders" and result.locale == "en"
    assert result.format_version == "currency PHP in headers"
    bottle, brush = rows(ws, "order_lines")
    assert bottle["currency"] == "PHP" and bottle["order_date_local"] == date(2026, 3, 4)
    assert bottle["purchased_at_utc"] == at
    assert bottle["item_price_minor"] == 179800  # 2 x 899.00 = 1798.00 PHP
    # Deal totals 1498 and 199 (weights 149800 + 19900 = 169700 centavos).
    # Voucher 50.00 = 5000: 5000 * 149800 / 169700 = 4413.7 -> 4413, last line 5000 - 4413 = 587.
    # Bottle discount = (899 - 749) x 2 = 300.00 = 30000, plus 4413 = 34413.
    assert (bottle["promotion_discount_minor"], brush["promotion_discount_minor"]) == (34413, 587)
    # Shipping 39.00 = 3900: 3900 * 149800 / 169700 = 3442.6 -> 3442, last line 3900 - 3442 = 458.
    assert (bottle["shipping_minor"], brush["shipping_minor"]) == (3442, 458)
    assert bottle["order_status"] == "delivered" and bottle["line_id"] == "TWB-750-BLU"


def test_text_numbers_with_thousands_and_local_midnight(ws, tmp_path):
    add_store(ws, "trail-ph", "shopee", "PH")
    # 16:10 UTC on 4 March is 00:10 on 5 March in Manila.
    at = datetime(2026, 3, 4, 16, 10, tzinfo=UTC)
    path = shopee_orders.write(tmp_path / "text.xlsx", [line("260305X", at, BOTTLE, 1, "1299", status="unshipped")],
                               text_numbers=True)
    result = import_file(ws, path, "trail-ph")
    (stored,) = rows(ws, "order_lines")
    assert stored["item_price_minor"] == 129900  # text "1,299" -> 1299.00 PHP
    assert stored["order_date_local"] == date(2026, 3, 5) and stored["order_status"] == "unshipped"
    assert result.rows_accepted == 1


def test_indonesian_headers(ws, tmp_path):
    add_store(ws, "trail-id", "shopee", "ID")
    # 17:05 UTC on 9 March is 00:05 on 10 March in Jakarta (UTC+7).
    at = datetime(2026, 3, 9, 17, 5, tzinfo=UTC)
    path = shopee_orders.write(tmp_path / "pesanan.xlsx", [
        line("2603100001", at, BOTTLE, 2, "150000", "IDR", discount=Decimal("60000")),
    ], locale="id", tz="Asia/Jakarta")
    result = import_file(ws, path, "trail-id")
    assert result.locale == "id" and result.format_version == "no currency in headers"
    (stored,) = rows(ws, "order_lines")
    assert stored["currency"] == "IDR" and stored["order_date_local"] == date(2026, 3, 10)
    assert stored["item_price_minor"] == 300000  # 2 x 150000, rupiah have no minor unit
    assert stored["promotion_discount_minor"] == 60000  # (150000 - 120000) x 2
    assert stored["order_status"] == "delivered"  # "Selesai"


def test_header_currency_of_another_store_is_refused(ws, tmp_path):
    add_store(ws, "trail-ph", "shopee", "PH")
    at = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
    path = shopee_orders.write(tmp_path / "my.xlsx", [line("X1", at, BOTTLE, 1, "10", "MYR")], tz="Asia/Kuala_Lumpur")
    with pytest.raises(InputError) as err:
        import_file(ws, path, "trail-ph")
    (finding,) = err.value.findings
    assert finding.code == "import.currency_mismatch" and finding.column == "Seller Voucher(MYR)"
