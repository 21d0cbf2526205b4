"""Sessions and sponsored ads of one store's day, consistent with the orders actually taken.

Sessions follow the *expected* demand through the store's conversion rate, so a stockout shows as
sessions without units (and a lost buy box), and a suspension as no sessions at all. About 30% of
a product's orders are attributed to ads; clicks come from a 8-13% ad conversion rate, impressions
from a 0.3-0.6% click-through rate, spend from the marketplace's cost per click. Amazon stores
also get search-term rows that split each campaign's numbers over its customer search terms.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from kpiguard.demo.catalog import quantize
from kpiguard.reportgen.model import AdRow, OrderLine, StoreHistory, TrafficRow

if TYPE_CHECKING:
    from kpiguard.demo.world import StoreWorld

LINES_PER_ORDER = 1.14
AD_SHARE = 0.3
CPC = {"USD": Decimal("0.95"), "EUR": Decimal("0.75"), "JPY": Decimal("65"), "PHP": Decimal("9"), "GBP": Decimal("0.70")}
BUY_BOX = ("1", "1", "0.99", "0.98", "0.96")
KEYWORDS = {
    "en": ("insulated water bottle", "water bottle 750ml", "stainless steel water bottle", "leak proof bottle",
           "tumbler with lid", "bottle brush", "kids water bottle", "straw lid"),
    "de": ("trinkflasche edelstahl", "thermosflasche 750ml", "trinkflasche auslaufsicher", "isolierflasche",
           "thermobecher", "flaschenbürste", "kinder trinkflasche", "strohhalm deckel"),
    "ja": ("水筒 750ml", "ステンレスボトル", "保冷 水筒", "マグボトル", "タンブラー 蓋付き", "ボトルブラシ",
           "水筒 キッズ", "ストロー キャップ"),
}


class DayTotals:
    """What each product sold today (all orders, cancelled included, as Amazon counts ordered sales)."""

    __slots__ = ("orders", "units", "sales", "b2b_units", "b2b_sales")

    def __init__(self, n: int) -> None:
        self.orders = [0] * n
        self.units = [0] * n
        self.sales = [Decimal(0)] * n
        self.b2b_units = [0] * n
        self.b2b_sales = [Decimal(0)] * n

    def add(self, idx: int, line: OrderLine) -> None:
        self.orders[idx] += 1
        self.units[idx] += line.quantity
        self.sales[idx] += line.line_total
        if line.business:
            self.b2b_units[idx] += line.quantity
            self.b2b_sales[idx] += line.line_total


def sessions(world: StoreWorld, day: date, expected: float, t: DayTotals, history: StoreHistory) -> None:
    spec, rng = world.spec, world.rng
    suspended = world.event("account_suspension", day) is not None
    out = world.event("stockout", day)
    b2b = 0.04 if spec.channel == "amazon" else 0.0
    for i, product in enumerate(world.products):
        lost = out is not None and out.sku == product.sku
        visits = 0
        if not suspended:
            base = expected * world.popularity[i] * LINES_PER_ORDER / spec.conversion * (0.6 if lost else 1.0)
            visits = max(t.orders[i], round(base * rng.uniform(0.85, 1.15)))
        if visits == 0 and t.units[i] == 0:
            continue
        history.traffic.append(TrafficRow(
            day, day, product, visits, round(visits * rng.uniform(1.2, 1.6)), t.units[i], t.sales[i],
            t.orders[i], spec.currency, Decimal(0) if lost else Decimal(rng.choice(BUY_BOX)),
            round(visits * b2b), t.b2b_units[i], t.b2b_sales[i]))


def ads(world: StoreWorld, day: date, expected: float, t: DayTotals, history: StoreHistory) -> None:
    """Two campaigns per product (Auto and Exact); paused while suspended or out of stock."""
    spec, rng, cur = world.spec, world.rng, world.spec.currency
    if world.event("account_suspension", day):
        return
    out = world.event("stockout", day)
    for i, product in enumerate(world.products):
        if out is not None and out.sku == product.sku:
            continue
        cvr = rng.uniform(0.08, 0.13)
        clicks = round(expected * world.popularity[i] * LINES_PER_ORDER * AD_SHARE / cvr * rng.uniform(0.85, 1.15))
        if clicks == 0:
            continue
        impressions = round(clicks / rng.uniform(0.003, 0.006))
        orders = min(t.orders[i], clicks, int(t.orders[i] * rng.uniform(0.22, 0.38) + rng.random()))
        units = round(orders * t.units[i] / t.orders[i]) if orders else 0
        sales = quantize(t.sales[i] / t.units[i] * units, cur) if units else Decimal(0)
        spend = quantize(clicks * CPC.get(cur, Decimal(1)) * Decimal(str(round(rng.uniform(0.85, 1.15), 3))), cur)
        whole = AdRow(day, day, f"SP - {product.sku} - Exact", "Exact KW", product, impressions, clicks,
                      spend, sales, orders, units, cur, portfolio="TrailCo")
        auto, exact = _split(whole, Decimal("0.4"), cur)
        auto = replace(auto, campaign=f"SP - {product.sku} - Auto", ad_group="Auto targets")
        history.ads.extend((auto, exact))
        if spec.channel == "amazon":
            history.ads.extend(_search_terms(world, i, auto, exact))


def _split(row: AdRow, share: Decimal, cur: str) -> tuple[AdRow, AdRow]:
    """Two rows whose counts and amounts add up exactly to ``row``'s."""
    f = float(share)
    clicks, imps, orders = round(row.clicks * f), round(row.impressions * f), round(row.orders * f)
    units = min(row.units, round(row.units * f)) if orders else 0
    spend, sales = quantize(row.spend * share, cur), quantize(row.sales * share, cur) if units else Decimal(0)
    first = replace(row, clicks=clicks, impressions=imps, orders=orders, units=units, spend=spend, sales=sales)
    rest = replace(row, clicks=row.clicks - clicks, impressions=row.impressions - imps, orders=row.orders - orders,
                   units=row.units - units, spend=row.spend - spend, sales=row.sales - sales)
    return first, rest


def _search_terms(world: StoreWorld, i: int, auto: AdRow, exact: AdRow) -> list[AdRow]:
    words = KEYWORDS.get(world.spec.language, KEYWORDS["en"])
    cur = world.spec.currency
    terms = [words[(i + k) % len(words)] for k in range(3)]
    rows = []
    top, rest = _split(exact, Decimal("0.7"), cur)
    rows.append(replace(top, targeting=terms[0], match_type="EXACT", search_term=terms[0]))
    rows.append(replace(rest, targeting=terms[0], match_type="EXACT", search_term=f"{terms[0]} 2 pack"))
    close, loose = _split(auto, Decimal("0.6"), cur)
    rows.append(replace(close, targeting="close-match", match_type="-", search_term=terms[1]))
    rows.append(replace(loose, targeting="loose-match", match_type="-", search_term=terms[2]))
    return rows
