"""The demo generator: a small seeded demo built through the real CLI and importer, then checked
for what a KPI review must see in it (the stockout, the suspension, the brushing, the overlap)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from kpiguard.demo.build import DemoOptions, build, default_end
from kpiguard.demo.catalog import HERO_SKU
from kpiguard.demo.exports import LAST_CUT
from kpiguard.demo.scenario import DEFAULT_STORES, month_end, plan_events
from kpiguard.lake import all_rows_sql, current_sql
from kpiguard.workspace import Workspace
from tests.conftest import run_cli

pytestmark = pytest.mark.slow

END = date(2025, 10, 31)
ARGS = ("demo", "--stores", "3", "--months", "2", "--orders-per-day", "4", "--end", "2025-10-31", "--seed", "11")
START = date(2025, 9, 1)
EVENTS = {e.kind: e for e in plan_events(DEFAULT_STORES[:3], START, END)}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, dict]:
    ws = Workspace(tmp_path_factory.mktemp("demo") / "ws")
    result = run_cli(ws, *ARGS, "--json")
    assert result.code == 0, result.err
    return ws, result.json()  # type: ignore[return-value]


def query(ws: Workspace, sql: str, table: str = "order_lines", every_version: bool = False) -> list[tuple]:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    rel = all_rows_sql(ws, table) if every_version else current_sql(ws, table)
    return con.execute(sql.replace("{rows}", f"({rel})")).fetchall()


def hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_summary_lists_every_store_with_rows_and_nothing_failed(demo):
    ws, summary = demo
    assert [s["store_id"] for s in summary["stores"]] == ["amazon-us", "amazon-de", "tiktok-us"]
    assert (summary["start"], summary["end"]) == ("2025-09-01", "2025-10-31")
    assert summary["failures"] == [] and summary["left_out"] == []
    assert summary["imported"] == summary["files"] > 20
    us = summary["stores"][0]["rows"]
    for table in ("order_lines", "refunds", "traffic", "ad_performance", "fees", "inventory_snapshots",
                  "product_costs", "reviews"):
        assert us[table] > 0, table
    # 2 months of FX: 61 days x (4 currencies x 2 targets + USD->CNY) = 61 x 9 = 549 rates
    assert summary["workspace_rows"] == {"fx_rates": 549}


def test_same_seed_gives_the_same_files_and_another_seed_does_not(demo, tmp_path):
    ws, _ = demo
    options = DemoOptions(END, months=2, stores=3, orders_per_day=4, seed=11, import_files=False)
    again = build(Workspace(tmp_path / "again"), options)
    assert hashes(again.files_dir) == hashes(ws.home / "demo-files")
    other = build(Workspace(tmp_path / "other"), DemoOptions(END, 2, 3, 4, seed=12, import_files=False))
    orders = [p for p in hashes(other.files_dir) if "/orders/" in p]
    assert orders and all(hashes(other.files_dir)[p] != hashes(again.files_dir).get(p) for p in orders)


def test_hero_sku_sells_nothing_during_the_stockout_and_the_snapshot_shows_zero(demo):
    ws, _ = demo
    out = EVENTS["stockout"]
    sold = dict(query(ws, f"SELECT order_date_local, count(*) FILTER (WHERE sku = '{HERO_SKU}') FROM {{rows}} "
                          "WHERE store_id = 'amazon-us' GROUP BY 1"))
    assert all(sold.get(out.start + timedelta(days=i), 0) == 0 for i in range((out.end - out.start).days + 1))
    assert sum(n for d, n in sold.items() if d < out.start) > 0  # it sold before ...
    assert sum(n for d, n in sold.items() if d > out.end) > 0  # ... and after the shipment arrived
    # the other SKUs kept selling: the store had orders on most stockout days
    assert len([d for d in sold if out.start <= d <= out.end]) >= 7
    (stock,) = query(ws, f"SELECT fulfillable_qty FROM {{rows}} WHERE store_id = 'amazon-us' AND sku = '{HERO_SKU}' "
                         f"AND snapshot_date_local = DATE '{month_end(out.start)}'", "inventory_snapshots")
    assert stock == (0,)


def test_no_orders_during_the_suspension_week(demo):
    ws, _ = demo
    week = EVENTS["account_suspension"]
    days = dict(query(ws, "SELECT order_date_local, count(*) FROM {rows} WHERE store_id = 'amazon-de' GROUP BY 1"))
    assert all(days.get(week.start + timedelta(days=i), 0) == 0 for i in range(7))
    assert days.get(week.start - timedelta(days=1), 0) > 0 and days.get(week.end + timedelta(days=1), 0) > 0


def test_brushing_buyers_repeat_at_one_postcode_with_low_prices_and_refunds(demo):
    ws, _ = demo
    brush = EVENTS["brushing"]
    # buyers with five or more orders in the whole period (a real repeat buyer has two or three)
    repeat = query(ws, """
        SELECT buyer_hash, count(DISTINCT order_id) AS n, count(DISTINCT ship_postal_hash) AS postcodes,
               min(order_date_local), max(order_date_local), sum(item_price_minor) / sum(quantity)
        FROM {rows} WHERE store_id = 'tiktok-us' GROUP BY 1 HAVING count(DISTINCT order_id) >= 5""")
    assert len(repeat) == 3  # the three fake accounts
    assert {r[2] for r in repeat} == {1}  # each always ships to one postcode ...
    postcodes = query(ws, "SELECT count(DISTINCT ship_postal_hash) FROM {rows} WHERE buyer_hash IN "
                          f"({', '.join(repr(r[0]) for r in repeat)})")
    assert postcodes == [(1,)]  # ... the same one
    assert all(brush.start <= r[3] and r[4] <= brush.end for r in repeat)
    (normal,) = query(ws, f"SELECT sum(item_price_minor) / sum(quantity) FROM {{rows}} WHERE store_id = 'tiktok-us' "
                          f"AND buyer_hash NOT IN ({', '.join(repr(r[0]) for r in repeat)})")
    assert all(r[5] < normal[0] * 0.5 for r in repeat)  # about 35% of the normal price
    unrefunded = query(ws, f"""
        SELECT count(*) FROM {{rows}} o WHERE store_id = 'tiktok-us' AND order_status <> 'cancelled'
          AND buyer_hash IN ({', '.join(repr(r[0]) for r in repeat)})
          AND order_id NOT IN (SELECT order_id FROM ({current_sql(ws, 'refunds')}) WHERE store_id = 'tiktok-us')""")
    assert unrefunded == [(0,)]


def test_pending_orders_of_the_first_export_are_resolved_by_the_overlapping_second(demo):
    ws, _ = demo
    changed = query(ws, """
        SELECT store_id, order_id, line_id, string_agg(order_status, '>' ORDER BY import_id) FROM {rows}
        GROUP BY ALL HAVING count(*) > 1""", every_version=True)
    paths = {(store, s) for store, _, _, s in changed}
    assert ("amazon-us", "pending>shipped") in paths and ("amazon-de", "pending>shipped") in paths
    assert ("tiktok-us", "pending>delivered") in paths or ("tiktok-us", "shipped>delivered") in paths
    # nothing bought before the first export was taken is still pending in the current state
    cut = END - LAST_CUT - timedelta(days=3)
    assert query(ws, f"SELECT count(*) FROM {{rows}} WHERE order_status = 'pending' AND order_date_local < DATE '{cut}'") \
        == [(0,)]


def test_verify_passes_and_a_second_run_changes_nothing_and_prints_the_summary(demo):
    ws, summary = demo
    assert run_cli(ws, "verify").code == 0
    again = run_cli(ws, *ARGS)
    assert again.code == 0, again.err
    assert "amazon-us" in again.out and "order_lines" in again.out and "tiktok_shop" in again.out
    assert f"already imported {summary['files']}" in again.out.replace("\n", " ")
    assert str(ws.home) in again.out.replace("\n", "")


def test_other_options_or_a_used_workspace_are_refused(demo, tmp_path):
    ws, _ = demo
    other = run_cli(ws, "demo", "--stores", "2", "--months", "2", "--end", "2025-10-31")
    assert other.code == 2 and "other options" in other.err
    used = Workspace(tmp_path / "used")
    used.init()
    assert run_cli(used, "store", "add", "mine", "--platform", "amazon", "--marketplace", "US").code == 0
    refused = run_cli(used, "demo", "--stores", "1", "--months", "1")
    assert refused.code == 2 and "empty workspace" in refused.err


def test_period_and_default_end():
    assert default_end(date(2026, 3, 15)) == date(2026, 2, 28)
    assert DemoOptions(date(2025, 10, 31), months=12).period() == (date(2024, 11, 1), date(2025, 10, 31))
    assert DemoOptions(date(2025, 3, 15), months=1).period() == (date(2025, 2, 16), date(2025, 3, 15))


def test_fast_all_orders_renderer_writes_the_writers_exact_bytes(tmp_path):
    """The benchmark path must not drift from the real writer: same lines, same bytes."""
    from datetime import UTC, datetime

    from kpiguard.demo import fast_orders
    from kpiguard.demo.exports import as_of
    from kpiguard.demo.world import StoreWorld
    from kpiguard.reportgen import amazon_all_orders

    for spec in DEFAULT_STORES[:2]:  # USD with US sales tax and business orders; EUR with VAT
        world = StoreWorld(spec, [], date(2025, 10, 1), date(2025, 10, 10), 80, seed=3)
        # taken mid-period: pending, cancelled and shipped lines, promotions, several lines per order
        lines = as_of(world.run(date(2025, 10, 1), date(2025, 10, 10)).orders, datetime(2025, 10, 10, tzinfo=UTC))
        assert {ln.status for ln in lines} == {"pending", "shipped", "cancelled"}
        assert any(ln.discount for ln in lines) and any(ln.line_no > 1 for ln in lines)
        for version in amazon_all_orders.VERSIONS:
            slow = amazon_all_orders.write(tmp_path / "slow.txt", lines, version).read_bytes()
            assert fast_orders.write(tmp_path / "fast.txt", lines, version).read_bytes() == slow
