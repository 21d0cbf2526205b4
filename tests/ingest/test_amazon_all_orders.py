"""Amazon All Orders: canonical values worked out by hand from the rows written."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from kpiguard.ingest.load import import_file
from kpiguard.reportgen import amazon_all_orders
from kpiguard.reportgen.model import OrderLine, Product
from tests.conftest import add_store, current_rows, rows

BOTTLE = Product("TWB-750-BLU", "B0D4QCHLD1", "Trail Water Bottle 750ml, Blue")
BRUSH = Product("BRUSH-01", "B0D4BRUSH1", "Bottle Brush")


def line(order_id: str, at: datetime, status: str = "shipped", qty: int = 2, price: str = "19.95",
         updated: datetime | None = None, product: Product = BOTTLE, **kw) -> OrderLine:
    return OrderLine(order_id, 1, at, updated or at, status, product, qty, Decimal(price), "USD", **kw)


def test_values_and_local_date_near_midnight(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    # 2026-03-05 07:30 UTC is 2026-03-04 23:30 in Los Angeles (PST, UTC-8): the local day is the 4th.
    late = datetime(2026, 3, 5, 7, 30, tzinfo=UTC)
    # 2026-03-05 08:10 UTC is 00:10 on the 5th in Los Angeles.
    early = datetime(2026, 3, 5, 8, 10, tzinfo=UTC)
    path = amazon_all_orders.write(tmp_path / "orders.txt", [
        line("111-0000001-0000001", late, tax=Decimal("2.84"), discount=Decimal("4.00"), postal_code="78704"),
        line("111-0000002-0000002", early, status="cancelled", qty=1),
    ], version="32")
    result = import_file(ws, path, "acme-us")
    assert result.format_key == "amazon_all_orders" and result.rows_accepted == 2
    assert result.format_version.startswith("32")
    got = {r["order_id"]: r for r in rows(ws, "order_lines")}
    first = got["111-0000001-0000001"]
    assert first["order_date_local"] == date(2026, 3, 4)
    assert first["item_price_minor"] == 3990  # 2 x 19.95 = 39.90 USD -> 3990 cents
    assert first["item_tax_minor"] == 284
    assert first["promotion_discount_minor"] == 400  # written as -4.00, stored as a positive discount
    assert first["order_status"] == "shipped" and first["currency"] == "USD"
    assert first["ship_postal_hash"] and first["ship_postal_hash"] != "78704"
    second = got["111-0000002-0000002"]
    assert second["order_date_local"] == date(2026, 3, 5)
    assert second["order_status"] == "cancelled" and second["item_price_minor"] == 1995


def test_pending_then_shipped_latest_state_wins_and_old_row_is_kept(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    at = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
    pending = amazon_all_orders.write(tmp_path / "a.txt", [line("111-1", at, status="pending")], version="sp-api")
    shipped = amazon_all_orders.write(tmp_path / "b.txt", [
        line("111-1", at, status="shipped", updated=datetime(2026, 3, 11, 9, 0, tzinfo=UTC)),
    ], version="sp-api")
    import_file(ws, shipped, "acme-us")
    import_file(ws, pending, "acme-us")  # the older state arrives last and must not win
    stored = rows(ws, "order_lines")
    assert len(stored) == 2  # both versions kept for audit
    (latest,) = current_rows(ws, "order_lines")
    assert latest["order_status"] == "shipped"


def test_older_mws_header_without_business_columns(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    at = datetime(2026, 2, 1, 20, 0, tzinfo=UTC)
    path = amazon_all_orders.write(tmp_path / "old.txt", [line("111-9", at, qty=3, price="10.00")], version="mws29")
    result = import_file(ws, path, "acme-us")
    assert result.format_version == "mws 29 columns"
    (stored,) = rows(ws, "order_lines")
    assert stored["item_price_minor"] == 3000 and stored["is_business_order"] is False
