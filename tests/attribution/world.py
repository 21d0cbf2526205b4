"""Two small Amazon US stores over September and October 2026, every figure chosen by hand.

                    September 2026                    October 2026
  att-a (SKU-A)     1000 sessions, 40 orders x 100.00  1200 sessions, 54 orders x 110.00
                    GMV 4000.00, cvr 0.04, aov 100     GMV 5940.00, cvr 0.045, aov 110
  att-b (SKU-B)     1000 sessions, 40 orders x 50.00   800 sessions, 26 orders x 55.00
                    GMV 2000.00, cvr 0.04, aov 50      GMV 1430.00, cvr 0.0325, aov 55
  both              2000 sessions, 80 orders, 6000.00  2000 sessions, 80 orders, 7370.00
                    cvr 0.04, aov 75                   cvr 0.04, aov 92.125

Each order is one unit; no tax, shipping, discounts or refunds, so net sales = GMV. Costs:
SKU-A 40.00 + 10.00 first leg = 50.00 a unit, SKU-B 20.00 + 5.00 = 25.00. Only att-a advertises
(spend 200.00 in September, 300.00 in October) and has a fee report (commission 400.00 and
500.00, and a refund of 100.00 in August, outside both months, so that refunds are known to be
0); att-b has none of these, so on its own its net sales, ad spend, fees and net profit are
unknown, while for both stores together the engine counts them as 0. Sessions come from
the store-level "By Date" business report: no session is tied to a SKU.

The signed plan ``att-q4`` covers both stores for 2026-10..2026-12, monthly: GMV target 7260.00
(September x 1.21) and conversion target 0.04.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D
from pathlib import Path

from kpiguard.ingest.load import import_file
from kpiguard.plans import io, store
from kpiguard.reportgen import (
    amazon_ads,
    amazon_all_orders,
    amazon_business_report,
    amazon_date_range,
    templates,
)
from kpiguard.reportgen.model import AdRow, FeeLine, OrderLine, Product, TrafficRow
from kpiguard.workspace import Workspace
from tests.conftest import add_store
from tests.plans.plan_text import CLEAN, edit

A = Product("SKU-A", "B0000ATT0A", "Bottle A", unit_cost=D("40.00"), first_leg=D("10.00"))
B = Product("SKU-B", "B0000ATT0B", "Bottle B", unit_cost=D("20.00"), first_leg=D("5.00"))
PLAN_ID = "att-q4"


def _orders(prefix: str, product: Product, month: int, count: int, price: str) -> list[OrderLine]:
    out = []
    for n in range(count):
        when = datetime(2026, month, 1 + n % 28, 18, 0, tzinfo=UTC)  # 11:00 in Los Angeles, same day
        out.append(OrderLine(f"{prefix}-{month:02d}{n:05d}-0000001", 1, when, when, "shipped", product, 1,
                             D(price), "USD"))
    return out


def _traffic(product: Product, sessions: dict[int, int]) -> list[TrafficRow]:
    return [TrafficRow(date(2026, m, 15), date(2026, m, 15), product, s, s, 0, D(0), 0, "USD")
            for m, s in sessions.items()]


def _fee(month: int, amount: str, kind: str = "Order", description: str = "Commission") -> FeeLine:
    when = datetime(2026, month, 20, 18, 0, tzinfo=UTC)
    return FeeLine(f"90{month:02d}", when, kind, f"111-{month:02d}00000-0000001", "SKU-A", 1,
                   "ItemPrice" if description == "Principal" else "ItemFees", description, D(amount), "USD")


def _ad(month: int, spend: str) -> AdRow:
    day = date(2026, month, 10)
    return AdRow(day, day, "SP - Bottles", "Exact", A, 1000, 100, D(spend), D(0), 0, 0, "USD")


def plan_text() -> str:
    """The lint-clean fixture plan, moved to these stores and this quarter, with its GMV and cvr targets."""
    text = CLEAN
    for old, new in (("plan_id: case-us-2026-h2", f"plan_id: {PLAN_ID}"), ("stores: [case-us]", "stores: [att-a, att-b]"),
                     ("start: 2026-11-01", "start: 2026-10-01"), ("end: 2027-04-30", "end: 2026-12-31"),
                     ("    target: 300\n    floor: 240\n    stretch: 360",
                      "    target: 7260\n    floor: 6000\n    stretch: 8000"),
                     ("    target: 0.015\n    floor: 0.012\n    stretch: 0.018",
                      "    target: 0.04\n    floor: 0.035\n    stretch: 0.045"),
                     ("        due: 2026-11-15", "        due: 2026-10-15")):
        text = edit(text, old, new)
    return text


def sign_plan(ws: Workspace, text: str) -> store.StoredPlan:
    plan, _ = io.load(text, "att-q4.yaml")
    store.create(ws, plan, "lead", text)
    store.propose(ws, plan.plan_id, "lead")
    store.sign(ws, plan.plan_id, "seller", "Li Wei")
    return store.sign(ws, plan.plan_id, "provider", "Anna Smith")


def world(ws: Workspace, folder: Path) -> Workspace:
    add_store(ws, "att-a", "amazon", "US")
    add_store(ws, "att-b", "amazon", "US")
    imp = lambda path, store_id, **kw: import_file(ws, path, store_id, **kw)  # noqa: E731
    imp(amazon_all_orders.write(folder / "a-orders.txt", _orders("111", A, 9, 40, "100.00")
                                + _orders("111", A, 10, 54, "110.00"), version="sp-api"), "att-a")
    imp(amazon_all_orders.write(folder / "b-orders.txt", _orders("112", B, 9, 40, "50.00")
                                + _orders("112", B, 10, 26, "55.00"), version="sp-api"), "att-b")
    imp(amazon_business_report.write_by_date(folder / "a-traffic.csv", _traffic(A, {9: 1000, 10: 1200})), "att-a")
    imp(amazon_business_report.write_by_date(folder / "b-traffic.csv", _traffic(B, {9: 1000, 10: 800})), "att-b")
    imp(amazon_date_range.write(folder / "a-fees.csv", [_fee(8, "-100.00", "Refund", "Principal"), _fee(9, "-400.00"),
                                                             _fee(10, "-500.00")]), "att-a")
    imp(amazon_ads.write_advertised_product(folder / "a-ads.csv", [_ad(9, "200.00"), _ad(10, "300.00")],
                                            time_unit="daily"), "att-a")
    imp(templates.write_product_costs(folder / "a-costs.csv", [A], date(2026, 1, 1), "USD"), "att-a")
    imp(templates.write_product_costs(folder / "b-costs.csv", [B], date(2026, 1, 1), "USD"), "att-b")
    sign_plan(ws, plan_text())
    return ws
