"""Invariants of the metric layer, checked on generated order histories (Hypothesis).

- additive metrics sum across stores and across sub-periods to the whole;
- ratio metrics are ratios of sums (aov = gmv / orders of the same rows), never averages of ratios;
- results do not depend on the order in which overlapping files were imported.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpiguard.ingest.load import import_file
from kpiguard.metrics.engine import Query, run
from kpiguard.reportgen import amazon_all_orders
from kpiguard.reportgen.model import OrderLine, Product
from kpiguard.workspace import Workspace
from tests.conftest import add_store

START = datetime(2026, 9, 1, tzinfo=UTC)
PRODUCTS = [Product(f"SKU-{i}", f"B00000000{i}", f"Item {i}") for i in range(3)]
SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

line_strategy = st.builds(
    lambda n, minutes, status, product, qty, cents, later: (n, minutes, status, product, qty, cents, later),
    st.integers(0, 40), st.integers(0, 60 * 24 * 59), st.sampled_from(["shipped", "pending", "cancelled", "delivered"]),
    st.sampled_from(PRODUCTS), st.integers(1, 4), st.integers(1, 50_000), st.sampled_from(["shipped", "cancelled", None]),
)


def lines(raw, prefix: str, currency: str = "USD") -> tuple[list[OrderLine], list[OrderLine]]:
    """First export as generated; a later export in which some orders moved on (shipped or cancelled)."""
    first, later, seen = [], [], set()
    placed: dict[str, datetime] = {}  # an order has one purchase time, whatever its lines
    for n, minutes, status, product, qty, cents, moved in raw:
        order_id = f"{prefix}-{n:07d}"
        if (order_id, product.sku) in seen:
            continue
        seen.add((order_id, product.sku))
        at = placed.setdefault(order_id, START + timedelta(minutes=minutes))
        line = OrderLine(order_id, 1, at, at, status, product, qty, Decimal(cents) / 100, currency)
        first.append(line)
        if moved and status == "pending":
            later.append(OrderLine(order_id, 1, at, at + timedelta(days=1), moved, product, qty,
                                   Decimal(cents) / 100, currency))
    return first, later


def build(tmp: Path, raw_a, raw_b, reverse: bool) -> Workspace:
    ws = Workspace(tmp)
    ws.init()
    add_store(ws, "s-a", "amazon", "US")
    add_store(ws, "s-b", "amazon", "US")
    files = []
    for store, raw in (("s-a", raw_a), ("s-b", raw_b)):
        first, later = lines(raw, store.upper())
        files.append((amazon_all_orders.write(tmp.parent / f"{tmp.name}-{store}-1.txt", first), store))
        if later:
            files.append((amazon_all_orders.write(tmp.parent / f"{tmp.name}-{store}-2.txt", later), store))
    for path, store in (reversed(files) if reverse else files):
        import_file(ws, path, store)
    return ws


METRICS = ("gmv", "units", "orders", "aov", "promotion_discounts")
OCT = (date(2026, 9, 1), date(2026, 10, 31))


def q(ws: Workspace, by: tuple[str, ...] = (), stores=None):
    return run(ws, Query(METRICS, *OCT, stores, by))


@SETTINGS
@given(st.lists(line_strategy, min_size=1, max_size=25), st.lists(line_strategy, min_size=1, max_size=25))
def test_additive_metrics_sum_and_ratios_are_ratios_of_sums(tmp_path_factory, raw_a, raw_b):
    ws = build(tmp_path_factory.mktemp("w") / "ws", raw_a, raw_b, reverse=False)
    (whole,) = q(ws)
    per_store = q(ws, ("store",))
    per_day = q(ws, ("day",))
    for key in ("gmv", "units", "orders"):
        total = Decimal(whole[key])
        assert sum(Decimal(r[key]) for r in per_store) == total
        assert sum(Decimal(r[key]) for r in per_day) == total
    for row in [whole, *per_store]:
        if Decimal(row["orders"]) == 0:
            assert row["aov"] is None
        else:
            expected = (Decimal(row["gmv"]) / Decimal(row["orders"])).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
            assert Decimal(row["aov"]) == expected


@SETTINGS
@given(st.lists(line_strategy, min_size=1, max_size=25), st.lists(line_strategy, min_size=1, max_size=25))
def test_results_do_not_depend_on_import_order(tmp_path_factory, raw_a, raw_b):
    base = tmp_path_factory.mktemp("o")
    forward = build(base / "fwd", raw_a, raw_b, reverse=False)
    backward = build(base / "bwd", raw_a, raw_b, reverse=True)
    assert q(forward, ("store", "week")) == q(backward, ("store", "week"))
