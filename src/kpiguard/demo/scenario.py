"""The demo's stores, its calendar of demand, and the events a KPI review must explain.

The stores are the situations the product is for: two Amazon marketplaces, a Shopify site, a
TikTok Shop, a Shopee shop, and an Amazon JP account whose data only arrives through a Chinese ERP
export. The events are the document's force-majeure and gaming cases, placed relative to the
simulated period so that even a two-month demo contains them:

- ``stockout``: the hero SKU on Amazon US sells nothing for ten days around a month end, so the
  month-end inventory snapshot shows 0;
- ``account_suspension``: Amazon DE takes no orders for a week;
- ``brushing``: a few TikTok buyer accounts with one postcode buy at abnormally low prices and are
  refunded within days;
- ``price_dumping``: the Shopee shop sells a whole month about 40% below its normal prices.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from kpiguard.demo.catalog import HERO_SKU


@dataclass(frozen=True)
class StoreSpec:
    store_id: str
    name: str
    platform: str  # a kpiguard platform key: amazon, shopify, tiktok_shop, shopee, erp
    marketplace: str
    currency: str
    timezone: str
    channel: str  # whose export formats the files use: amazon, shopify, tiktok, shopee, lingxing
    language: str  # product titles: en, de, ja, zh
    weight: float  # share of demand; the six average 1.0
    vat: Decimal  # tax included in shelf prices (EU, JP, PH)
    sales_tax: Decimal  # tax added on top of the price (US)
    conversion: float  # orders per session
    refund_rate: float
    cancel_rate: float


def _spec(store_id: str, name: str, platform: str, market: str, currency: str, tz: str, channel: str,
          language: str, weight: float, vat: str, sales_tax: str, conversion: float, refund: float,
          cancel: float) -> StoreSpec:
    return StoreSpec(store_id, name, platform, market, currency, tz, channel, language, weight,
                     Decimal(vat), Decimal(sales_tax), conversion, refund, cancel)


# Ordered so that the first three (the smallest useful demo) hold the stockout, the suspension
# and the brushing episode.
DEFAULT_STORES: tuple[StoreSpec, ...] = (
    _spec("amazon-us", "TrailCo US (Amazon)", "amazon", "US", "USD", "America/Los_Angeles", "amazon",
          "en", 1.6, "0", "0.0725", 0.11, 0.045, 0.015),
    _spec("amazon-de", "TrailCo DE (Amazon)", "amazon", "DE", "EUR", "Europe/Berlin", "amazon",
          "de", 0.9, "0.19", "0", 0.10, 0.07, 0.01),
    _spec("tiktok-us", "TrailCo TikTok Shop US", "tiktok_shop", "US", "USD", "America/Los_Angeles",
          "tiktok", "en", 1.0, "0", "0.0725", 0.035, 0.06, 0.03),
    _spec("shopee-ph", "TrailCo Shopee PH", "shopee", "PH", "PHP", "Asia/Manila", "shopee",
          "en", 1.1, "0.12", "0", 0.04, 0.03, 0.04),
    _spec("shopify-us", "trailco.com (Shopify)", "shopify", "US", "USD", "America/New_York", "shopify",
          "en", 0.7, "0", "0.07", 0.025, 0.035, 0.02),
    _spec("erp-amazon-jp", "TrailCo JP (Amazon via LingXing ERP)", "erp", "JP", "JPY", "Asia/Tokyo",
          "lingxing", "zh", 0.7, "0.10", "0", 0.12, 0.03, 0.01),
)


@dataclass(frozen=True)
class Event:
    """Something that happened to one store on [start, end] (inclusive local days)."""

    kind: str  # stockout | account_suspension | brushing | price_dumping (glossary keys)
    store_id: str
    start: date
    end: date
    sku: str = ""
    detail: str = ""

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "store_id": self.store_id, "start": self.start.isoformat(),
                "end": self.end.isoformat(), "sku": self.sku, "detail": self.detail}


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _at(start: date, end: date, fraction: float) -> date:
    return start + timedelta(days=int((end - start).days * fraction))


def plan_events(stores: tuple[StoreSpec, ...], start: date, end: date) -> list[Event]:
    """Place each event on its store at a fixed fraction of the period (so tests can find it)."""
    ids = {s.store_id for s in stores}
    events = []
    if "amazon-us" in ids:
        # ten days around the month end nearest 60% into the period: the snapshot catches the 0
        pivot = month_end(_at(start, end, 0.55))
        if pivot >= end:
            pivot = month_end(start)
        events.append(Event("stockout", "amazon-us", pivot - timedelta(days=5), pivot + timedelta(days=4),
                            HERO_SKU, "inbound shipment delayed at customs"))
    if "amazon-de" in ids:
        monday = _at(start, end, 0.35)
        monday -= timedelta(days=monday.weekday())
        monday = max(monday, start + timedelta(days=7 - start.weekday()))
        events.append(Event("account_suspension", "amazon-de", monday, monday + timedelta(days=6),
                            detail="listing policy review; account reinstated after appeal"))
    if "tiktok-us" in ids:
        begin = _at(start, end, 0.7)
        events.append(Event("brushing", "tiktok-us", begin, begin + timedelta(days=9),
                            detail="repeat fake orders from three accounts at one postcode"))
    if "shopee-ph" in ids:
        first = _at(start, end, 0.45).replace(day=1)
        first = max(first, start)
        events.append(Event("price_dumping", "shopee-ph", first, month_end(first),
                            detail="prices about 40% below normal to chase the GMV target"))
    return events


# -- the calendar of demand ------------------------------------------------------------------

WEEKDAY = (1.0, 1.0, 0.98, 0.96, 0.92, 0.95, 1.1)  # Mon..Sun: Amazon's Sunday/Monday peak
# by month, Jan..Dec: a slow start to the year, a summer bump, the Q4 peak
SEASON = (0.86, 0.8, 0.9, 0.93, 0.97, 1.0, 1.06, 0.98, 0.95, 1.02, 1.3, 1.45)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def holidays(year: int, platform: str) -> dict[date, float]:
    """Sale days and their demand multiplier for one year on one platform."""
    thanksgiving = _nth_weekday(year, 11, 3, 4)
    days = {
        thanksgiving: 1.3,
        thanksgiving + timedelta(days=1): 2.6,  # Black Friday
        thanksgiving + timedelta(days=2): 1.8,
        thanksgiving + timedelta(days=3): 1.7,
        thanksgiving + timedelta(days=4): 2.2,  # Cyber Monday
    }
    if platform in ("amazon", "erp"):
        prime = _nth_weekday(year, 7, 1, 2)  # Prime Day: the second Tuesday and Wednesday of July
        days[prime] = 2.8
        days[prime + timedelta(days=1)] = 2.3
    if platform == "shopee":
        for month in (3, 4, 5, 6, 7, 8, 9, 10, 11, 12):  # the "double date" sales: 9.9, 11.11, 12.12
            days[date(year, month, month)] = 3.0 if month >= 9 else 2.0
    return days


def demand_factor(day: date, platform: str, holiday_map: dict[date, float]) -> float:
    """Weekday shape x seasonality (interpolated mid-month to mid-month) x sale-day spikes."""
    month_pos = day.month - 1 + (day.day - 15) / 30.0
    lo = int(month_pos // 1)
    frac = month_pos - lo
    season = SEASON[lo % 12] * (1 - frac) + SEASON[(lo + 1) % 12] * frac
    return WEEKDAY[day.weekday()] * season * holiday_map.get(day, 1.0)
