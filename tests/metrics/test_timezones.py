"""Day buckets around local midnight on DST-change days, under three day_timezone policies.

Amazon US (America/Los_Angeles) springs forward on 2026-03-08 at 02:00 (PST -8 -> PDT -7).
Amazon DE (Europe/Berlin) springs forward on 2026-03-29 at 02:00 (CET +1 -> CEST +2).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from kpiguard.ingest.load import import_file
from kpiguard.metrics import definitions
from kpiguard.metrics.engine import Query, run
from kpiguard.reportgen import amazon_all_orders
from kpiguard.reportgen.model import OrderLine, Product
from tests.conftest import add_store

ITEM = Product("SKU-1", "B000000001", "Bottle")


def order(order_id: str, at_utc: datetime, price: str, currency: str) -> OrderLine:
    return OrderLine(order_id, 1, at_utc, at_utc, "shipped", ITEM, 1, Decimal(price), currency)


US_ORDERS = [
    # 2026-03-09 06:55 UTC = 03-08 23:55 PDT (UTC-7) -> local day 03-08. A fixed PST offset would say 22:55 on 03-08 too.
    order("111-0000001-0000001", datetime(2026, 3, 9, 6, 55, tzinfo=UTC), "10.00", "USD"),
    # 2026-03-09 07:05 UTC = 03-09 00:05 PDT -> local day 03-09 (a fixed PST offset would wrongly say 03-08 23:05).
    order("111-0000002-0000002", datetime(2026, 3, 9, 7, 5, tzinfo=UTC), "20.00", "USD"),
    # 2026-03-08 07:55 UTC = 03-07 23:55 PST (UTC-8) -> local day 03-07.
    order("111-0000003-0000003", datetime(2026, 3, 8, 7, 55, tzinfo=UTC), "40.00", "USD"),
]
DE_ORDERS = [
    # 2026-03-29 21:55 UTC = 03-29 23:55 CEST (UTC+2) -> local day 03-29.
    order("302-0000001-0000001", datetime(2026, 3, 29, 21, 55, tzinfo=UTC), "10.00", "EUR"),
    # 2026-03-29 22:05 UTC = 03-30 00:05 CEST -> local day 03-30 (a fixed CET offset would say 03-29 23:05).
    order("302-0000002-0000002", datetime(2026, 3, 29, 22, 5, tzinfo=UTC), "20.00", "EUR"),
    # 2026-03-28 23:05 UTC = 03-29 00:05 CET (UTC+1) -> local day 03-29.
    order("302-0000003-0000003", datetime(2026, 3, 28, 23, 5, tzinfo=UTC), "40.00", "EUR"),
]


@pytest.fixture
def zoned_ws(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    add_store(ws, "acme-de", "amazon", "DE")
    import_file(ws, amazon_all_orders.write(tmp_path / "us.txt", US_ORDERS), "acme-us")
    import_file(ws, amazon_all_orders.write(tmp_path / "de.txt", DE_ORDERS), "acme-de")
    for zone in ("UTC", "Asia/Shanghai"):
        name = "utcday" if zone == "UTC" else "shanghaiday"
        definitions.add(ws, f"name: {name}\nversion: 1\nextends: standard@1\npolicies:\n  day_timezone: {zone}\n",
                        f"{name}.yaml", "test")
    return ws


def gmv_by_day(ws, store: str, start: date, end: date, defs: str) -> dict[str, str]:
    rows = run(ws, Query(("gmv",), start, end, (store,), ("day",), None, defs))
    return {r["period_start"]: r["gmv"] for r in rows if r["gmv"] != "0.00"}


def test_us_days_follow_pacific_time_across_dst(zoned_ws):
    assert gmv_by_day(zoned_ws, "acme-us", date(2026, 3, 6), date(2026, 3, 10), "standard@1") == {
        "2026-03-07": "40.00", "2026-03-08": "10.00", "2026-03-09": "20.00"}


def test_us_days_in_utc_and_shanghai(zoned_ws):
    # UTC: 06:55 and 07:05 on 03-09 are both 03-09; 07:55 on 03-08 is 03-08.
    assert gmv_by_day(zoned_ws, "acme-us", date(2026, 3, 6), date(2026, 3, 10), "utcday@1") == {
        "2026-03-08": "40.00", "2026-03-09": "30.00"}
    # Shanghai (UTC+8): 14:55, 15:05 on 03-09 and 15:55 on 03-08.
    assert gmv_by_day(zoned_ws, "acme-us", date(2026, 3, 6), date(2026, 3, 10), "shanghaiday@1") == {
        "2026-03-08": "40.00", "2026-03-09": "30.00"}


def test_de_days_follow_berlin_time_across_dst(zoned_ws):
    assert gmv_by_day(zoned_ws, "acme-de", date(2026, 3, 27), date(2026, 3, 31), "standard@1") == {
        "2026-03-29": "50.00", "2026-03-30": "20.00"}
    # UTC: 21:55 and 22:05 on 03-29 are 03-29; 23:05 on 03-28 is 03-28.
    assert gmv_by_day(zoned_ws, "acme-de", date(2026, 3, 27), date(2026, 3, 31), "utcday@1") == {
        "2026-03-28": "40.00", "2026-03-29": "30.00"}
    # Shanghai: 05:55 and 06:05 on 03-30; 07:05 on 03-29.
    assert gmv_by_day(zoned_ws, "acme-de", date(2026, 3, 27), date(2026, 3, 31), "shanghaiday@1") == {
        "2026-03-29": "40.00", "2026-03-30": "30.00"}
