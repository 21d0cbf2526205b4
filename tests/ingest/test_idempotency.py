"""Importing never double-counts.

- The same bytes imported again (three more times) are recognised and add nothing: every
  canonical table's row count and sum of every ``*_minor`` column stay the same, in the current
  view (latest state per natural key, ``lake.current_sql``) and over all stored rows.
- A re-saved copy of a file (same rows, other bytes) is a new import whose rows supersede the
  first ones by natural key: the current totals stay the same, the stored versions double.
- Overlapping exports resolve by natural key: an order that moved from Pending to Shipped, or to
  Cancelled, counts once, in its latest state; the superseded rows stay stored.

"Every kind of file" is what the demo writes for six stores on every platform (the files a user
downloads), plus the formats the demo does not use; a test fails when a format is left out.
"""

from __future__ import annotations

import io
import shutil
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from kpiguard.canonical import TABLES
from kpiguard.demo.build import DemoOptions, build
from kpiguard.demo.exports import FileJob
from kpiguard.ingest import registry
from kpiguard.ingest.load import import_file
from kpiguard.lake import all_rows_sql, current_sql
from kpiguard.reportgen import amazon_all_orders, amazon_business_report, ebay_orders
from kpiguard.reportgen.model import OrderLine, Product, TrafficRow
from kpiguard.workspace import Workspace
from tests.conftest import add_store, current_rows, rows
from tests.snapshot import snapshot

pytestmark = pytest.mark.slow

DEMO = DemoOptions(end=date(2025, 10, 31), months=2, stores=6, orders_per_day=2, seed=5)
BOTTLE = Product("TWB-750-BLU", "B0D4QCHLD1", "Trail Water Bottle 750ml, Blue")


def totals(ws: Workspace) -> dict[str, tuple[object, ...]]:
    """Per table and view (current / stored): row count and the sum of every *_minor column."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    out = {}
    for name, spec in TABLES.items():
        sums = "".join(f', sum("{c}")' for c, _ in spec.columns if c.endswith("_minor"))
        for view, sql in (("current", current_sql(ws, name)), ("stored", all_rows_sql(ws, name))):
            out[f"{name}/{view}"] = con.execute(f"SELECT count(*){sums} FROM ({sql})").fetchone() or ()
    con.close()
    return out


@pytest.fixture(scope="module")
def every_kind(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, list[FileJob]]:
    ws = Workspace(tmp_path_factory.mktemp("idem") / "ws")
    result = build(ws, DEMO)
    assert result.failures == [] and result.imported == len(result.files)
    jobs = list(result.files) + extra_files(ws, ws.home / "extra")
    with ws.connect(read_only=True) as con:
        covered = {r[0] for r in con.execute("SELECT DISTINCT format_key FROM imports").fetchall()}
    assert covered == set(registry.formats()), "formats no file here covers; add one to extra_files()"
    return ws, jobs


def extra_files(ws: Workspace, folder: Path) -> list[FileJob]:
    """The formats the demo does not write: eBay orders, the business report by date."""
    folder.mkdir()
    add_store(ws, "ebay-us", "ebay", "US")
    at = datetime(2025, 10, 3, 15, 0, tzinfo=UTC)
    lines = [OrderLine(f"12-1150{i}-4000{i}", 1, at + timedelta(hours=i), at, "shipped", BOTTLE, 1 + i,
                       Decimal("19.95"), "USD", shipping=Decimal("4.00")) for i in range(3)]
    traffic = [TrafficRow(date(2025, 10, d), date(2025, 10, d), BOTTLE, 100 + d, 150 + d, 9, Decimal("179.55"),
                          9, "USD") for d in (1, 2)]
    jobs = [FileJob("ebay-us", ebay_orders.write(folder / "ebay.csv", lines), "eBay orders"),
            FileJob("amazon-us", amazon_business_report.write_by_date(folder / "by_date.csv", traffic),
                    "business report by date")]
    for job in jobs:
        assert import_file(ws, job.path, job.store_id).status == "imported"
    return jobs


def test_importing_every_file_three_more_times_changes_nothing(every_kind) -> None:
    ws, jobs = every_kind
    before, stored = totals(ws), snapshot(ws.home)
    for job in jobs:
        for _ in range(3):
            again = import_file(ws, job.path, job.store_id, period=job.period)
            assert again.status == "already_imported", job.path
    assert totals(ws) == before
    assert snapshot(ws.home) == stored  # not one catalog row, ledger entry or file more


def test_a_resaved_copy_of_every_file_adds_versions_but_no_current_total(every_kind, tmp_path: Path) -> None:
    ws, jobs = every_kind
    before = totals(ws)
    for n, job in enumerate(jobs):
        copy = resaved(job.path, tmp_path / f"{n}-{job.path.name}")
        assert import_file(ws, copy, job.store_id, period=job.period).status == "imported", job.path
    after = totals(ws)
    for key, values in before.items():
        if key.endswith("/current"):
            assert after[key] == values, key  # the same facts, still counted once
        else:  # every stored row now has a second version: counts and sums double
            assert after[key] == tuple(None if v is None else 2 * v for v in values), key  # type: ignore[operator]


def resaved(path: Path, target: Path) -> Path:
    """The same content in other bytes, as when a user saves a file again."""
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
        book.properties.title = "saved again"
        book.save(target)
    else:
        shutil.copy(path, target)
        with open(target, "ab") as fh:
            fh.write(b"\n")  # one more line ending at the end: no row, other SHA-256
    return target


# -- overlapping All Orders exports -----------------------------------------------------------------

def order(order_id: str, day: int, status: str, qty: int, price: str, updated_day: int) -> OrderLine:
    at = datetime(2026, 3, day, 18, 0, tzinfo=UTC)
    return OrderLine(order_id, 1, at, datetime(2026, 3, updated_day, 9, 0, tzinfo=UTC), status, BOTTLE, qty,
                     Decimal(price), "USD")


# Export A, downloaded on 6 March, covers 1-5 March; export B, downloaded on 8 March, covers 3-7.
EXPORT_A = [
    order("111-0000001", 1, "shipped", 1, "10.00", 2),  # item-price 10.00 -> 1000
    order("111-0000002", 3, "pending", 1, "25.00", 3),  # pending: Amazon leaves the price blank
    order("111-0000003", 4, "shipped", 2, "15.00", 4),  # 2 x 15.00 = 30.00 -> 3000
    order("111-0000004", 5, "unshipped", 1, "20.00", 5),  # 2000
]
EXPORT_B = [
    order("111-0000002", 3, "shipped", 1, "25.00", 6),  # Pending -> Shipped: 2500
    order("111-0000003", 4, "cancelled", 2, "15.00", 6),  # Shipped -> Cancelled: still 3000 written
    order("111-0000004", 5, "unshipped", 1, "20.00", 5),  # unchanged: the same last-updated-date
    order("111-0000005", 7, "shipped", 1, "5.00", 7),  # new: 500
]


@pytest.mark.parametrize("first", ["A", "B"])
def test_overlapping_exports_resolve_to_the_latest_state(ws: Workspace, tmp_path: Path, first: str) -> None:
    add_store(ws, "acme-us", "amazon", "US")
    files = {"A": amazon_all_orders.write(tmp_path / "a.txt", EXPORT_A, version="sp-api"),
             "B": amazon_all_orders.write(tmp_path / "b.txt", EXPORT_B, version="sp-api")}
    for name in (first, "B" if first == "A" else "A"):  # the older export may arrive last
        assert import_file(ws, files[name], "acme-us").status == "imported"
    current = {r["order_id"]: r for r in current_rows(ws, "order_lines")}
    assert {k: v["order_status"] for k, v in current.items()} == {
        "111-0000001": "shipped", "111-0000002": "shipped", "111-0000003": "cancelled",
        "111-0000004": "unshipped", "111-0000005": "shipped"}
    # current: 1000 (1) + 2500 (2, shipped) + 3000 (3, cancelled) + 2000 (4) + 500 (5) = 9000
    assert sum(r["item_price_minor"] for r in current.values()) == 9000
    # not cancelled: 9000 - 3000 = 6000
    assert sum(r["item_price_minor"] for r in current.values() if r["order_status"] != "cancelled") == 6000
    stored = rows(ws, "order_lines")
    assert len(stored) == 8  # 4 + 4 rows: the superseded Pending and Shipped versions stay
    # A: 1000 + blank + 3000 + 2000 = 6000; B: 2500 + 3000 + 2000 + 500 = 8000; 14000 in all
    assert sum(r["item_price_minor"] or 0 for r in stored) == 14000
    superseded = {(r["order_id"], r["order_status"]) for r in stored} - {
        (k, v["order_status"]) for k, v in current.items()}
    assert superseded == {("111-0000002", "pending"), ("111-0000003", "shipped")}
