"""Shopify orders export: fill-forward of order fields, exact allocation, refunds, header eras."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from kpiguard.errors import InputError
from kpiguard.ingest.load import import_file
from kpiguard.reportgen import shopify_orders
from kpiguard.reportgen.model import OrderLine, Product
from tests.conftest import add_store, rows

BOTTLE = Product("TWB-750-BLU", "", "Trail Water Bottle 750ml - Blue")
BRUSH = Product("BRUSH-01", "", "Bottle Brush")

# The reference's example (section 6), trimmed to 24 columns as printed there.
REFERENCE_EXAMPLE = """\
Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status
#1042,ana@example.net,paid,2026-03-05 09:12:40 -0500,fulfilled,2026-03-06 15:02:11 -0500,no,USD,52.20,5.00,4.79,61.99,SPRING10,5.80,Standard,2026-03-05 09:12:38 -0500,2,Trail Water Bottle 750ml - Blue,19.95,24.95,TWB-750-BLU,true,true,fulfilled
#1042,ana@example.net,,,,,,,,,,,,,,2026-03-05 09:12:38 -0500,1,Bottle Brush,18.10,,BRUSH-01,true,true,fulfilled
"""


def line(order_id: str, at: datetime, product: Product = BOTTLE, qty: int = 1, price: str = "10.00",
         status: str = "shipped", line_no: int = 1, **kw) -> OrderLine:
    return OrderLine(order_id, line_no, at, at, status, product, qty, Decimal(price), "USD", **kw)


@pytest.fixture
def shop(ws):
    add_store(ws, "trail-shop", "shopify", "US", timezone="America/New_York")
    return ws


def test_reference_example_fills_order_fields_and_allocates_exactly(shop, tmp_path):
    path = tmp_path / "orders_export.csv"
    path.write_text(REFERENCE_EXAMPLE, encoding="utf-8")
    result = import_file(shop, path, "trail-shop")
    assert result.format_key == "shopify_orders" and result.rows_accepted == 2
    bottle, brush = rows(shop, "order_lines")
    # Line totals: 2 x 19.95 = 39.90 -> 3990; 1 x 18.10 -> 1810; order weight 5800.
    assert (bottle["item_price_minor"], brush["item_price_minor"]) == (3990, 1810)
    # Discount 5.80 = 580: 580 * 3990 / 5800 = 399.0 -> 399; the last line takes 580 - 399 = 181.
    assert (bottle["promotion_discount_minor"], brush["promotion_discount_minor"]) == (399, 181)
    # Shipping 5.00 = 500: 500 * 3990 / 5800 = 343.96 -> 343; last line 500 - 343 = 157.
    assert (bottle["shipping_minor"], brush["shipping_minor"]) == (343, 157)
    # Taxes 4.79 = 479: 479 * 3990 / 5800 = 329.52 -> 329; last line 479 - 329 = 150.
    assert (bottle["item_tax_minor"], brush["item_tax_minor"]) == (329, 150)
    # The second row has no Currency/Financial Status: filled forward from the first row.
    assert brush["currency"] == "USD" and brush["order_status"] == "shipped"
    assert brush["buyer_hash"] == bottle["buyer_hash"] is not None
    # 09:12:38 -0500 is 14:12:38 UTC.
    assert bottle["purchased_at_utc"] == datetime(2026, 3, 5, 14, 12, 38, tzinfo=UTC)
    assert (bottle["line_id"], brush["line_id"]) == ("TWB-750-BLU", "BRUSH-01")
    assert rows(shop, "refunds") == []  # no Refunded Amount column in this trimmed file


def test_writer_near_midnight_status_and_refund(shop, tmp_path):
    # 04:30 UTC on the 5th is 23:30 on the 4th in New York (EST, UTC-5).
    late = datetime(2026, 3, 5, 4, 30, tzinfo=UTC)
    # 05:10 UTC is 00:10 on the 5th in New York.
    early = datetime(2026, 3, 5, 5, 10, tzinfo=UTC)
    lines = [
        line("#2001", late, BOTTLE, qty=3, price="12.00", discount=Decimal("3.00"), shipping=Decimal("4.99")),
        line("#2001", late, BRUSH, qty=1, price="6.00", line_no=2, status="unshipped"),
        line("#2002", early, BRUSH, qty=1, price="8.50", status="cancelled"),
        line("#2003", early, BRUSH, qty=2, price="5.00", status="pending"),
    ]
    path = shopify_orders.write(tmp_path / "orders.csv", lines, era="current",
                                refunds={"#2001": Decimal("6.00")})
    result = import_file(shop, path, "trail-shop")
    assert result.format_version.startswith("current")
    assert result.table_rows == {"order_lines": 4, "refunds": 1}
    got = {(r["order_id"], r["sku"]): r for r in rows(shop, "order_lines")}
    a1, a2 = got[("#2001", "TWB-750-BLU")], got[("#2001", "BRUSH-01")]
    assert a1["order_date_local"] == date(2026, 3, 4) and a2["order_date_local"] == date(2026, 3, 4)
    assert got[("#2002", "BRUSH-01")]["order_date_local"] == date(2026, 3, 5)
    # Weights 3 x 12.00 = 3600 and 600 (total 4200). Discount 300: 300 * 3600 / 4200 = 257.14 -> 257,
    # last line 300 - 257 = 43. Shipping 499: 499 * 3600 / 4200 = 427.7 -> 427, last 499 - 427 = 72.
    assert (a1["promotion_discount_minor"], a2["promotion_discount_minor"]) == (257, 43)
    assert (a1["shipping_minor"], a2["shipping_minor"]) == (427, 72)
    # The order is partially fulfilled: the bottle line is fulfilled, the brush line is not.
    assert (a1["order_status"], a2["order_status"]) == ("shipped", "unshipped")
    assert got[("#2002", "BRUSH-01")]["order_status"] == "cancelled"
    assert got[("#2003", "BRUSH-01")]["order_status"] == "pending"
    (refund,) = rows(shop, "refunds")
    # Refunded Amount 6.00 -> 600 cents, dated at the order's creation (no refund date in the export).
    assert refund["refund_id"] == "#2001:refunded" and refund["amount_minor"] == 600
    assert refund["refund_date_local"] == date(2026, 3, 4) and refund["currency"] == "USD"


def test_older_header_without_outstanding_balance(shop, tmp_path):
    at = datetime(2026, 2, 10, 15, 0, tzinfo=UTC)
    path = shopify_orders.write(tmp_path / "old.csv", [line("#900", at, qty=2, price="7.25")], era="older")
    header = path.read_text().splitlines()[0]
    assert "Outstanding Balance" not in header and "Vendor,Id," in header
    result = import_file(shop, path, "trail-shop")
    assert result.format_version.startswith("older")
    (stored,) = rows(shop, "order_lines")
    assert stored["item_price_minor"] == 1450  # 2 x 7.25
    assert stored["promotion_discount_minor"] == 0 and stored["shipping_minor"] == 0


def test_excel_serial_date_is_reported_with_row_and_column(shop, tmp_path):
    text = REFERENCE_EXAMPLE.replace("2026-03-05 09:12:38 -0500,1,", "45384.34789351852,1,")
    path = tmp_path / "resaved.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_file(shop, path, "trail-shop")
    (finding,) = err.value.findings
    assert (finding.row, finding.column, finding.value) == (3, "Created at", "45384.34789351852")


def test_order_without_its_first_row_is_refused(shop, tmp_path):
    header, _first, second = REFERENCE_EXAMPLE.splitlines()
    path = tmp_path / "cut.csv"
    path.write_text(f"{header}\n{second}\n", encoding="utf-8")  # the row with the order fields is gone
    with pytest.raises(InputError) as err:
        import_file(shop, path, "trail-shop")
    (finding,) = err.value.findings
    assert (finding.code, finding.row, finding.column) == ("order.no_header_row", 2, "Financial Status")


def test_currencies_with_different_minor_units_are_refused(shop, tmp_path):
    at = datetime(2026, 3, 5, 15, 0, tzinfo=UTC)
    yen = OrderLine("#3002", 1, at, at, "shipped", BRUSH, 1, Decimal("1200"), "JPY")
    path = shopify_orders.write(tmp_path / "mixed.csv", [line("#3001", at), yen])
    with pytest.raises(InputError) as err:
        import_file(shop, path, "trail-shop")
    (finding,) = err.value.findings
    assert (finding.code, finding.column) == ("value.currency_mixed", "Currency")
