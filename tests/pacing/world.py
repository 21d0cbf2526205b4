"""A store whose every day is known: the pacing tests' world.

``pace-us`` (Amazon US, Los Angeles time) sells one order a day from 2026-04-01 to 2026-10-31:
100.00 on weekdays and 200.00 on Saturdays and Sundays. Sponsored Products (daily rows) spend
30.00 on weekdays and 40.00 at weekends and bring 80.00 / 160.00 of attributed sales. Nothing
else (no traffic, refunds, costs or reviews), so metrics built on them have no data.

October 2026 by hand (the 1st is a Thursday; 22 weekdays, 9 weekend days: 3-4, 10-11, 17-18,
24-25, 31):
- GMV 22 x 100 + 9 x 200 = 4000.00; 1st-15th: 11 weekdays + 4 weekend days = 1100 + 800 = 1900.00;
  16th-31st: 11 weekdays + 5 weekend days = 1100 + 1000 = 2100.00
- ad spend 1st-15th 11 x 30 + 4 x 40 = 490.00; 16th-31st 11 x 30 + 5 x 40 = 530.00; month 1020.00
- ad sales 1st-15th 11 x 80 + 4 x 160 = 1520.00; 16th-31st 11 x 80 + 5 x 160 = 1680.00; month 3200.00
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D
from pathlib import Path

from kpiguard.ingest.load import import_file
from kpiguard.reportgen import amazon_ads, amazon_all_orders
from kpiguard.reportgen.model import AdRow, OrderLine, Product
from kpiguard.workspace import Workspace
from tests.conftest import add_store

STORE = "pace-us"
FIRST, LAST = date(2026, 4, 1), date(2026, 10, 31)
BOTTLE = Product("SKU-P", "B0000000PP", "Pacing bottle", unit_cost=D("10.00"))


def weekend(day: date) -> bool:
    return day.weekday() >= 5


def days(first: date = FIRST, last: date = LAST) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def orders() -> list[OrderLine]:
    out = []
    for day in days():
        # 20:00 UTC is 13:00 in Los Angeles: the same local day all year
        when = datetime(day.year, day.month, day.day, 20, tzinfo=UTC)
        price = D("200.00") if weekend(day) else D("100.00")
        out.append(OrderLine(f"111-{day:%Y%m%d}-0000001", 1, when, when, "shipped", BOTTLE, 1, price, "USD"))
    return out


def ads() -> list[AdRow]:
    return [AdRow(day, day, "SP - Bottles", "Exact", BOTTLE, 1000, 10,
                  D("40.00") if weekend(day) else D("30.00"), D("160.00") if weekend(day) else D("80.00"),
                  1, 1, "USD") for day in days()]


def build(ws: Workspace, folder: Path) -> Workspace:
    add_store(ws, STORE, "amazon", "US")
    import_file(ws, amazon_all_orders.write(folder / "orders.txt", orders(), version="sp-api"), STORE)
    import_file(ws, amazon_ads.write_advertised_product(folder / "ads.csv", ads(), time_unit="daily"), STORE)
    return ws
