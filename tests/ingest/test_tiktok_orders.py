"""TikTok Shop orders export: description row, 18-digit ids, date order per file, JPY cells."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from kpiguard.errors import InputError
from kpiguard.ingest.load import import_file
from kpiguard.reportgen import tiktok_orders
from kpiguard.reportgen.model import OrderLine, Product
from tests.conftest import add_store, rows

BOTTLE = Product("TWB-750-BLU", "1729483920174", "Trail Water Bottle 750ml")
BRUSH = Product("BRUSH-01", "1729483920175", "Bottle Brush")
ORDER_A, ORDER_B = "577204819930416125", "577204819930416126"

MINIMAL = """\
Order ID,Order Status,Cancellation/Return Type,Seller SKU,Quantity,SKU Subtotal Before Discount,Created Time
Platform unique order ID.,Current order status.,Cancel or return type.,Seller SKU.,Quantity.,Subtotal.,Created time.
{rows}"""


def line(order_id: str, at: datetime, product: Product, qty: int, price: str, currency: str = "USD",
         status: str = "delivered", **kw) -> OrderLine:
    return OrderLine(order_id, 1, at, at, status, product, qty, Decimal(price), currency, **kw)


def test_us_csv_golden_order_with_shared_shipping_and_refund(ws, tmp_path):
    add_store(ws, "trail-tt", "tiktok_shop", "US")
    # 07:30 UTC on 5 March is 23:30 on 4 March in Los Angeles (PST, UTC-8).
    late = datetime(2026, 3, 5, 7, 30, tzinfo=UTC)
    # 17:00 UTC on 15 March is 10:00 PDT (UTC-7 since 8 March): written 03/15/2026, month first.
    later = datetime(2026, 3, 15, 17, 0, tzinfo=UTC)
    lines = [
        line(ORDER_A, late, BOTTLE, 2, "24.95", discount=Decimal("5.00"), shipping=Decimal("5.99"),
             tax=Decimal("3.20"), buyer="trailfan_88"),
        line(ORDER_A, late, BRUSH, 1, "9.10"),
        line(ORDER_B, later, BRUSH, 1, "9.10", status="cancelled"),
    ]
    path = tiktok_orders.write(tmp_path / "orders.csv", lines, fmt="csv", region="US",
                               refunds={ORDER_A: Decimal("10.00")})
    result = import_file(ws, path, "trail-tt")
    assert result.skipped_reasons == {"description row under the header (TikTok explains each column)": 1}
    assert result.format_version == "MM/DD/YYYY dates"
    assert result.table_rows == {"order_lines": 3, "refunds": 1}
    a1, a2, b = rows(ws, "order_lines")
    assert a1["order_id"] == ORDER_A  # 18 digits kept as text
    assert a1["order_date_local"] == date(2026, 3, 4) and b["order_date_local"] == date(2026, 3, 15)
    assert a1["item_price_minor"] == 4990 and a1["promotion_discount_minor"] == 500  # 2 x 24.95; 5.00
    # Shipping 5.99 repeats on both lines and is counted once: weights 4990 + 910 = 5900;
    # 599 * 4990 / 5900 = 506.6 -> 506, the last line takes 599 - 506 = 93.
    assert (a1["shipping_minor"], a2["shipping_minor"]) == (506, 93)
    # Taxes 3.20: 320 * 4990 / 5900 = 270.6 -> 270, last line 320 - 270 = 50.
    assert (a1["item_tax_minor"], a2["item_tax_minor"]) == (270, 50)
    assert a1["order_status"] == "delivered" and b["order_status"] == "cancelled"
    assert (a1["line_id"], a1["product_id"], a1["sku"]) == ("1729483920174", "1729483920174", "TWB-750-BLU")
    (refund,) = rows(ws, "refunds")
    assert (refund["order_id"], refund["amount_minor"], refund["currency"]) == (ORDER_A, 1000, "USD")


def test_vn_xlsx_day_first_near_midnight(ws, tmp_path):
    add_store(ws, "trail-vn", "tiktok_shop", "VN")
    # 17:30 UTC on 13 March is 00:30 on 14 March in Ho Chi Minh City (UTC+7): "14/03/2026 00:30:00".
    at = datetime(2026, 3, 13, 17, 30, tzinfo=UTC)
    path = tiktok_orders.write(tmp_path / "orders.xlsx", [line(ORDER_A, at, BOTTLE, 2, "125000", "VND")],
                               fmt="xlsx", region="VN")
    result = import_file(ws, path, "trail-vn")
    assert result.format_version == "DD/MM/YYYY dates" and result.encoding == "xlsx"
    (stored,) = rows(ws, "order_lines")
    assert stored["order_id"] == ORDER_A
    assert stored["order_date_local"] == date(2026, 3, 14)
    assert stored["purchased_at_utc"] == at
    assert stored["item_price_minor"] == 250000 and stored["currency"] == "VND"  # VND has no minor unit


def test_jp_money_with_currency_code(ws, tmp_path):
    add_store(ws, "trail-jp", "tiktok_shop", "JP")
    at = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)
    path = tiktok_orders.write(tmp_path / "jp.csv", [line(ORDER_A, at, BOTTLE, 1, "1234", "JPY")], region="JP")
    assert "JPY 1,234" in path.read_text()
    import_file(ws, path, "trail-jp")
    (stored,) = rows(ws, "order_lines")
    assert stored["item_price_minor"] == 1234 and stored["currency"] == "JPY"  # "JPY 1,234" -> 1234 yen


@pytest.mark.parametrize(("market", "expected"), [("VN", date(2026, 3, 4)), ("US", date(2026, 4, 3))])
def test_ambiguous_dates_follow_the_marketplace_default(ws, tmp_path, market, expected):
    add_store(ws, "tt", "tiktok_shop", market)
    path = tmp_path / "ambiguous.csv"
    # 04/03 is 4 March day-first (VN) or 3 April month-first (US); no value says which: the store decides.
    path.write_text(MINIMAL.format(rows=f"{ORDER_A},Completed,,TWB-750-BLU,1,10,04/03/2026 12:00:00\n"))
    import_file(ws, path, "tt")
    (stored,) = rows(ws, "order_lines")
    assert stored["order_date_local"] == expected


def test_two_l_spelling_and_cancel_type(ws, tmp_path):
    add_store(ws, "tt", "tiktok_shop", "VN")
    path = tmp_path / "cancel.csv"
    path.write_text(MINIMAL.format(rows=f"{ORDER_A},Cancelled,Cancel,TWB-750-BLU,1,10,13/03/2026 12:00:00\n"))
    import_file(ws, path, "tt")
    (stored,) = rows(ws, "order_lines")
    assert stored["order_status"] == "cancelled" and stored["status_raw"] == "Cancelled / Cancel"


def test_mixed_date_orders_are_refused(ws, tmp_path):
    add_store(ws, "tt", "tiktok_shop", "VN")
    path = tmp_path / "mixed.csv"
    path.write_text(MINIMAL.format(rows=(
        f"{ORDER_A},Completed,,TWB-750-BLU,1,10,13/03/2026 12:00:00\n"  # day first (13 > 12)
        f"{ORDER_B},Completed,,TWB-750-BLU,1,10,03/14/2026 12:00:00\n"  # month first (14 > 12)
    )))
    with pytest.raises(InputError) as err:
        import_file(ws, path, "tt")
    assert err.value.findings[0].code == "value.date_order_mixed"


def test_order_id_mangled_by_excel_is_refused(ws, tmp_path):
    add_store(ws, "tt", "tiktok_shop", "VN")
    path = tmp_path / "excel.csv"
    path.write_text(MINIMAL.format(rows="5.77204819930416E+17,Completed,,TWB-750-BLU,1,10,13/03/2026 12:00:00\n"))
    with pytest.raises(InputError) as err:
        import_file(ws, path, "tt")
    (finding,) = err.value.findings
    assert (finding.code, finding.row, finding.column) == ("value.excel_number", 3, "Order ID")
