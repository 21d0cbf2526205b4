"""The golden store and plan: every figure of its October 2026 scorecard is worked out by hand.

Store ``gold-us`` (Amazon US, Pacific time). From Thursday 2026-08-06 (eight full weeks before
October) to 2026-10-31 it sells one order a day of one unit: 20.00 on weekdays, 50.00 on Saturdays
and Sundays; each order is placed at 20:00 UTC (13:00 in Los Angeles, the same local day). The hero
SKU is out of stock from Saturday 10 to Wednesday 14 October: no orders on those five days.
Sessions are 10 every day, stockout days included. October in numbers:

- 31 days: 9 weekend days (3, 4, 10, 11, 17, 18, 24, 25, 31) and 22 weekdays;
- GMV without the stockout would be 22 x 20 + 9 x 50 = 890.00; the stockout days would have
  carried 50 + 50 + 20 + 20 + 20 = 160.00, so October's GMV is 730.00 from 26 orders;
- sessions 31 x 10 = 310 (260 without the stockout days);
- ads on 2 October (spend 30.00, sales 100.00) and 20 October (spend 20.00, sales 100.00):
  ACoS = 50 / 200 = 0.25;
- two refunds (Date Range report), 20.00 and one unit each, on 20 and 22 October: refund units 2,
  refund rate 2 / 26 = 0.076923 (above the 0.05 limit), refund amount 40.00;
- one A-to-z claim (8 October): order defect rate 1 / 26 = 0.038462 (under the 0.05 limit).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D
from pathlib import Path

from kpiguard.ingest.load import import_file
from kpiguard.plans import io
from kpiguard.plans import store as plan_store
from kpiguard.reportgen import (
    amazon_ads,
    amazon_all_orders,
    amazon_business_report,
    amazon_date_range,
    templates,
)
from kpiguard.reportgen.model import AdRow, FeeLine, OrderLine, Product, ServiceEvent, TrafficRow
from kpiguard.workspace import Workspace
from tests.conftest import add_store

HERO = Product("HERO-1", "B0HERO0001", "Hero bottle", unit_cost=D("5.00"))
STORE = "gold-us"
PLAN_ID = "gold-us-2026q4"
STOCKOUT = (date(2026, 10, 10), date(2026, 10, 14))


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 20, 0, tzinfo=UTC)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def price(day: date) -> D:
    return D("50.00") if day.weekday() >= 5 else D("20.00")


def order_id(day: date) -> str:
    n = day.toordinal()
    return f"114-{n:07d}-{n:07d}"


def orders(first: date, last: date) -> list[OrderLine]:
    return [OrderLine(order_id(d), 1, noon(d), noon(d), "shipped", HERO, 1, price(d), "USD")
            for d in days(first, last) if not (STOCKOUT[0] <= d <= STOCKOUT[1])]


def traffic(first: date, last: date) -> list[TrafficRow]:
    return [TrafficRow(d, d, HERO, 10, 15, 0, D(0), 0, "USD") for d in days(first, last)]


def build(ws: Workspace, folder: Path) -> Workspace:
    """The golden store with data from 2026-08-06 to 2026-10-31, and the signed plan."""
    folder.mkdir(parents=True, exist_ok=True)
    add_store(ws, STORE, "amazon", "US")
    imp = lambda path: import_file(ws, path, STORE)  # noqa: E731
    imp(amazon_all_orders.write(folder / "orders.txt", orders(date(2026, 8, 6), date(2026, 10, 31)), version="sp-api"))
    imp(amazon_business_report.write_by_date(folder / "traffic.csv", traffic(date(2026, 8, 6), date(2026, 10, 31))))
    imp(amazon_ads.write_advertised_product(folder / "ads.csv", [
        AdRow(date(2026, 10, 2), date(2026, 10, 2), "SP - Hero", "Exact", HERO, 1000, 40, D("30.00"), D("100.00"), 2, 2, "USD"),
        AdRow(date(2026, 10, 20), date(2026, 10, 20), "SP - Hero", "Exact", HERO, 800, 30, D("20.00"), D("100.00"), 2, 2, "USD"),
    ], time_unit="daily"))
    imp(amazon_date_range.write(folder / "range.csv", [
        FeeLine("7001", noon(date(2026, 10, 20)), "Refund", order_id(date(2026, 10, 5)), "HERO-1", 1, "ItemPrice",
                "Principal", D("-20.00"), "USD"),
        FeeLine("7001", noon(date(2026, 10, 22)), "Refund", order_id(date(2026, 10, 6)), "HERO-1", 1, "ItemPrice",
                "Principal", D("-20.00"), "USD"),
    ]))
    imp(templates.write_cs_events(folder / "cs.csv", [
        ServiceEvent("C1", order_id(date(2026, 10, 8)), "a_to_z_claim", noon(date(2026, 10, 8)))]))
    plan, _ = io.load(PLAN_YAML, "golden.yaml")
    plan_store.create(ws, plan, "test", PLAN_YAML)
    plan_store.propose(ws, PLAN_ID, "test")
    plan_store.sign(ws, PLAN_ID, "seller", "Li Wei")
    plan_store.sign(ws, PLAN_ID, "provider", "Anna Smith")
    return ws


PLAN_YAML = """\
plan_id: gold-us-2026q4
title:
  en: Golden store KPI plan, Q4 2026
  zh-CN: 黄金店铺考核方案（2026年第四季度）
seller: {name: Gold Seller Ltd, kind: seller, contact: owner@gold.example}
provider: {name: Gold Agency, kind: agency, contact: pm@agency.example}
cooperation_mode: full_service
business_goal: fast_growth
stage: growth
stores: [gold-us]
currency: USD
definition_set: standard@1
period: {start: 2026-10-01, end: 2026-12-31}
scoring_period: month
review_cadence: monthly
kpis:
  - {metric: gmv, target: 1000, floor: 800, stretch: 1200, weight: 50, owner: operations, kind: result,
     data_source: All Orders report}
  - {metric: acos, target: 0.20, floor: 0.30, stretch: 0.15, weight: 30, owner: advertising, kind: result,
     data_source: Sponsored Products advertised product report, attribution: SP 7 days}
  - metric: cvr
    target: 0.10
    floor: 0.08
    stretch: 0.12
    weight: 20
    owner: operations
    kind: process
    data_source: Business report by date and All Orders report
    depends_on:
      - {role: design, deliverable: new main images for HERO-1, due: 2026-10-05, clause: shift_to_dependency}
guardrails:
  - {metric: refund_rate, limit: 0.05, consequence: cap_total, cap_points: 60, owner: customer_service}
  - {metric: order_defect_rate, limit: 0.05, consequence: void_bonus, owner: customer_service}
adjustments:
  events: [stockout, account_suspension, platform_outage]
  method: exclude_days
  approval: both
  max_days_per_period: 10
consequences:
  - {below_score: 60, fee_reduction_pct: 20}
  - {below_score: 40, fee_reduction_pct: 50}
incentives:
  base_fee: 3000
  bonus_pool: 2000
  tiers:
    - {min_score: 60, bonus_pct: 25}
    - {min_score: 80, bonus_pct: 50}
    - {min_score: 100, bonus_pct: 100}
  commission: {base: net_sales, rate: 0.05, threshold: 500}
  clawback_days: 60
exit_terms:
  notice_days: 30
  data_handover: {en: every login and report stays with the seller, zh-CN: 所有账号与报表归卖家所有}
  early_exit: {en: either party with 30 days notice, zh-CN: 任一方提前30天通知即可解约}
raw_data_access:
  seller_keeps_access: true
  how: {en: the seller keeps the owner login, zh-CN: 卖家保留主账号}
"""
