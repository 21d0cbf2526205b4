"""Where an import's canonical rows land: one Parquet part per import, table and store, in the
report's own row order, and the months with data read back from the rows' own local dates."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import duckdb

from kpiguard.ingest.load import import_file
from kpiguard.reportgen import amazon_all_orders, amazon_date_range
from kpiguard.reportgen.model import FeeLine, OrderLine, Product
from kpiguard.verify import verify
from kpiguard.web.runtime import ServerWorkspace
from kpiguard.web.views import months_with_rows
from tests.conftest import add_store

BOTTLE = Product("TWB-750-BLU", "B0D4QCHLD1", "Trail Water Bottle 750ml, Blue")


def line(order_id: str, at: datetime) -> OrderLine:
    return OrderLine(order_id, 1, at, at, "shipped", BOTTLE, 1, Decimal("19.95"), "USD")


def test_one_part_per_import_in_file_order_and_months_by_local_date(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    # Written newest first, so that file order is not date order. The last row, 2026-09-01 06:30
    # UTC, is 2026-08-31 23:30 in Los Angeles (PDT, UTC-7): its month is August, not September.
    at = [datetime(2026, 10, 20, 12, 0, tzinfo=UTC), datetime(2026, 10, 2, 9, 0, tzinfo=UTC),
          datetime(2026, 9, 15, 16, 0, tzinfo=UTC), datetime(2026, 9, 1, 6, 30, tzinfo=UTC)]
    path = amazon_all_orders.write(tmp_path / "orders.txt", [line(f"111-000000{i}-0000000", t) for i, t in enumerate(at)],
                                   version="sp-api")
    result = import_file(ws, path, "acme-us")
    assert result.rows_accepted == 4

    parts = sorted(p.relative_to(ws.lake_dir).as_posix() for p in ws.lake_dir.rglob("*.parquet"))
    assert parts == [f"order_lines/store=acme-us/import-{result.import_id}.parquet"]
    with ws.connect(read_only=True) as con:
        assert con.execute("SELECT path, row_count FROM lake_parts").fetchall() == [(parts[0], 4)]

    # the header is row 1, so the part's n-th row (from 0) is the file's row n + 2, and the orders
    # are those written, in the order written
    part = str(ws.lake_dir / parts[0])
    got = duckdb.sql(f"SELECT file_row_number, raw_row, order_id FROM read_parquet('{part}', file_row_number = true) "
                     "ORDER BY file_row_number").fetchall()
    assert got == [(i, i + 2, f"111-000000{i}-0000000") for i in range(4)]

    server = ServerWorkspace(ws.home)
    assert months_with_rows(server, {"order_lines", "traffic"}, ["acme-us"]) == {
        "order_lines": {"2026-08", "2026-09", "2026-10"}, "traffic": set()}
    assert months_with_rows(server, {"order_lines"}, ["other-store"]) == {"order_lines": set()}


def test_a_table_the_file_has_no_rows_for_gets_no_part(ws, tmp_path):
    """A Date Range report fills two tables, fees and refunds; one with an order and no refund
    gives fees rows only. No empty refunds part may reach the lake: it would be in no import's
    record, and ``verify`` would call it a file nobody wrote."""
    add_store(ws, "acme-us", "amazon", "US")
    at = datetime(2026, 10, 5, 18, 0, tzinfo=UTC)
    path = amazon_date_range.write(tmp_path / "range.csv", [
        FeeLine("7001", at, "Order", "111-0000001-0000001", "TWB-750-BLU", 1, "ItemPrice", "Principal",
                Decimal("19.95"), "USD"),
        FeeLine("7001", at, "Order", "111-0000001-0000001", "TWB-750-BLU", 1, "ItemFees", "Commission",
                Decimal("-2.99"), "USD"),
    ])
    result = import_file(ws, path, "acme-us")
    assert result.table_rows.get("fees") == 2 and not result.table_rows.get("refunds")
    parts = sorted(p.relative_to(ws.lake_dir).as_posix() for p in ws.lake_dir.rglob("*.parquet"))
    assert parts == [f"fees/store=acme-us/import-{result.import_id}.parquet"]
    assert verify(ws).problems == []
