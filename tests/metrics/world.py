"""A small, fully specified world for the metric-case suite: every canonical table has rows.

Two stores, October 2026 (plus a little of September and November, which must not count):
- ``case-us``: Amazon US (USD, Pacific time): All Orders, Date Range report (fees and refunds),
  FBA returns, business report by date, Sponsored Products (daily), FBA inventory snapshots;
- ``case-shop``: Shopify (USD, New York time): orders with buyers and a refund;
plus kpiguard templates: product costs, review snapshots, customer-service events.
Every number below is written out so the expected values in cases.yaml can be checked by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D
from pathlib import Path

from kpiguard.ingest.load import import_file
from kpiguard.reportgen import (
    amazon_ads,
    amazon_all_orders,
    amazon_business_report,
    amazon_date_range,
    amazon_inventory,
    amazon_returns,
    shopify_orders,
    templates,
)
from kpiguard.reportgen.model import (
    AdRow,
    FeeLine,
    InventoryRow,
    OrderLine,
    Product,
    Refund,
    ReviewSnapshot,
    ServiceEvent,
    TrafficRow,
)
from kpiguard.workspace import Workspace
from tests.conftest import add_store

A = Product("SKU-A", "B0000000AA", "Bottle A", unit_cost=D("4.00"), first_leg=D("1.00"))
B = Product("SKU-B", "B0000000BB", "Bottle B", unit_cost=D("10.00"), first_leg=D("2.00"))
C = Product("SKU-C", "B0000000CC", "Bottle C (never sold)", unit_cost=D("3.00"))


def at(day: int, hour: int = 20, month: int = 10) -> datetime:
    """20:00 UTC is 13:00 in Los Angeles and 16:00 in New York: the same local day."""
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


def amazon_orders() -> list[OrderLine]:
    def line(oid: str, when: datetime, status: str, p: Product, qty: int, price: str, **kw: object) -> OrderLine:
        return OrderLine(oid, 1, when, when, status, p, qty, D(price), "USD", **kw)  # type: ignore[arg-type]
    return [
        line("111-0000000-0000000", at(30, month=9), "shipped", A, 1, "20.00"),  # September: not counted
        line("111-0000001-0000001", at(2), "shipped", A, 2, "20.00", tax=D("3.20"), discount=D("4.00")),
        line("111-0000002-0000002", at(3), "shipped", B, 1, "50.00"),
        line("111-0000003-0000003", at(10), "shipped", A, 1, "20.00"),
        line("111-0000004-0000004", at(11), "cancelled", B, 1, "50.00"),
        line("111-0000005-0000005", at(12), "pending", A, 1, "20.00"),  # unpriced in the file
        line("111-0000006-0000006", at(20), "delivered", B, 3, "45.00", discount=D("15.00")),
    ]


def shop_orders() -> list[OrderLine]:
    def line(oid: str, when: datetime, p: Product, qty: int, price: str, buyer: str) -> OrderLine:
        return OrderLine(oid, 1, when, when, "shipped", p, qty, D(price), "USD", buyer=buyer)
    return [
        line("#1001", at(5), A, 1, "30.00", "ana@example.net"),
        line("#1002", at(6), B, 2, "60.00", "bo@example.net"),
        line("#1003", at(15), A, 1, "30.00", "ana@example.net"),  # ana buys twice: a repeat buyer
        line("#1004", at(25), A, 1, "30.00", "cy@example.net"),
    ]


def fee_lines() -> list[FeeLine]:
    def fee(when: datetime, kind: str, oid: str, sku: str, qty: int, desc: str, amount: str) -> FeeLine:
        amount_type = "ItemPrice" if desc == "Principal" else "ItemFees"
        return FeeLine("9001", when, kind, oid, sku, qty, amount_type, desc, D(amount), "USD")
    return [
        fee(at(3, 10), "Order", "111-0000001-0000001", "SKU-A", 2, "Principal", "40.00"),
        fee(at(3, 10), "Order", "111-0000001-0000001", "SKU-A", 2, "Commission", "-6.00"),
        fee(at(3, 10), "Order", "111-0000001-0000001", "SKU-A", 2, "FBAPerUnitFulfillmentFee", "-5.00"),
        fee(at(4, 10), "Order", "111-0000002-0000002", "SKU-B", 1, "Principal", "50.00"),
        fee(at(4, 10), "Order", "111-0000002-0000002", "SKU-B", 1, "Commission", "-7.50"),
        fee(at(4, 10), "Order", "111-0000002-0000002", "SKU-B", 1, "FBAPerUnitFulfillmentFee", "-4.00"),
        fee(at(15, 18), "Refund", "111-0000002-0000002", "SKU-B", 1, "Principal", "-50.00"),
    ]


def traffic() -> list[TrafficRow]:
    days = {1: (100, 150), 2: (80, 120), 10: (60, 90), 20: (60, 90)}  # 300 sessions, 450 page views
    rows = [TrafficRow(date(2026, 10, d), date(2026, 10, d), A, s, pv, 0, D(0), 0, "USD") for d, (s, pv) in days.items()]
    rows.append(TrafficRow(date(2026, 11, 1), date(2026, 11, 1), A, 999, 999, 0, D(0), 0, "USD"))  # November
    return rows


def ads() -> list[AdRow]:
    def ad(day: int, p: Product, imp: int, clicks: int, spend: str, sales: str, orders: int) -> AdRow:
        return AdRow(date(2026, 10, day), date(2026, 10, day), "SP - Bottles", "Exact", p, imp, clicks,
                     D(spend), D(sales), orders, orders, "USD")
    # impressions 3000, clicks 60, spend 30.00, 7-day sales 120.00, 3 ad orders
    return [ad(2, A, 1000, 20, "10.00", "40.00", 1), ad(3, B, 2000, 40, "20.00", "80.00", 2)]


def world(ws: Workspace, folder: Path) -> Workspace:
    add_store(ws, "case-us", "amazon", "US")
    add_store(ws, "case-shop", "shopify", "US", timezone="America/New_York")
    imp = lambda path, store, **kw: import_file(ws, path, store, **kw)  # noqa: E731
    imp(amazon_all_orders.write(folder / "orders.txt", amazon_orders(), version="sp-api"), "case-us")
    imp(amazon_date_range.write(folder / "range.csv", fee_lines()), "case-us")
    imp(amazon_returns.write(folder / "returns.txt", [
        Refund("LPN1", "111-0000003-0000003", A, at(18), 1, D(0), "USD")]), "case-us")
    imp(amazon_business_report.write_by_date(folder / "traffic.csv", traffic()), "case-us")
    imp(amazon_ads.write_advertised_product(folder / "ads.csv", ads(), time_unit="daily"), "case-us")
    # SKU-A: 10 units from Oct 1; SKU-B: 4 units, out of stock from Oct 21 (11 days); SKU-C: 5 units
    imp(amazon_inventory.write(folder / "inv1.txt", [InventoryRow(A, 10), InventoryRow(B, 4), InventoryRow(C, 5)]),
        "case-us", period=(date(2026, 10, 1), date(2026, 10, 1)))
    imp(amazon_inventory.write(folder / "inv2.txt", [InventoryRow(A, 10), InventoryRow(B, 0), InventoryRow(C, 5)]),
        "case-us", period=(date(2026, 10, 21), date(2026, 10, 21)))
    imp(shopify_orders.write(folder / "shop.csv", shop_orders(), refunds={"#1002": D("60.00")}), "case-shop")
    imp(templates.write_product_costs(folder / "costs.csv", [A, B, C], date(2026, 1, 1), "USD"), "case-us")
    imp(templates.write_product_costs(folder / "costs-shop.csv", [A, B], date(2026, 1, 1), "USD"), "case-shop")
    imp(templates.write_reviews(folder / "reviews.csv", [
        ReviewSnapshot(date(2026, 9, 30), A, 100, D("4.50")), ReviewSnapshot(date(2026, 10, 31), A, 110, D("4.40")),
        ReviewSnapshot(date(2026, 9, 30), B, 20, D("4.00")), ReviewSnapshot(date(2026, 10, 31), B, 30, D("4.20")),
    ]), "case-us")
    imp(templates.write_cs_events(folder / "cs.csv", [
        ServiceEvent("E1", "111-0000002-0000002", "a_to_z_claim", at(8)),
        ServiceEvent("E2", "111-0000006-0000006", "complaint", at(22)),
        ServiceEvent("E3", "111-0000001-0000001", "negative_feedback", at(9)),
    ]), "case-us")
    return ws
