"""One store's life, simulated day by day from its own seeded random stream.

Each day: demand (the calendar times the store's events) sets the expected orders; sessions follow
from the store's conversion rate; orders draw products by popularity, limited by stock; shipped
lines post their fees; some are refunded or complained about days to weeks later. Stock is
replenished with a three-week lead time; month ends take inventory and review snapshots.

``run(start, end)`` returns what happened in that span as a ``StoreHistory``; state carries over,
so a long period can be simulated month by month without holding every order in memory. Orders
are plain ``OrderLine`` records with cached ``Decimal`` prices: no per-order arithmetic beyond
choosing what was bought, which keeps ten million lines within minutes.
"""

from __future__ import annotations

import heapq
import math
import random
from bisect import bisect
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from zoneinfo import ZoneInfo

from kpiguard.demo import aftersales, traffic
from kpiguard.demo.catalog import make_products, popularity, quantize, shelf_price
from kpiguard.demo.ids import IdMaker, below
from kpiguard.demo.payouts import Payouts
from kpiguard.demo.scenario import Event, StoreSpec, demand_factor, holidays, month_end
from kpiguard.demo.stock import Stock
from kpiguard.reportgen.model import OrderLine, Refund, ServiceEvent, StoreHistory

DAY = timedelta(days=1)
ZERO = Decimal(0)
# local hour of purchase: quiet nights, a lunch bump, the evening peak
HOURS = (2, 1, 1, 1, 1, 1, 2, 3, 4, 5, 5, 6, 7, 6, 5, 5, 5, 6, 7, 8, 9, 9, 7, 4)
HOUR_CUM = list(accumulate(HOURS))
HOUR_TOTAL = HOUR_CUM[-1]
PRICE_LEVEL = {"normal": Decimal(1), "price_dumping": Decimal("0.6"), "brushing": Decimal("0.35")}
DUMPING_LIFT = 1.6  # cheaper goods sell more
FINAL_STATUS = {"amazon": "shipped", "lingxing": "shipped"}  # the rest report delivery
BRUSH_BUYERS = ("user5550113", "user5550114", "user5550181")
BRUSH_POSTCODE = "77449"


class StoreWorld:
    def __init__(self, spec: StoreSpec, events: list[Event], start: date, end: date,
                 orders_per_day: float, seed: int, *, orders_only: bool = False, store_no: int = 0) -> None:
        self.spec = spec
        self.rng = random.Random(f"kpiguard-demo:{seed}:{spec.store_id}")
        self.products = make_products(spec.platform, spec.currency, spec.language)
        self.popularity = popularity()
        self.cum = list(accumulate(self.popularity))
        self.cum_top = self.cum[-1]
        self.amazon = spec.channel == "amazon"
        self.fba = spec.channel in ("amazon", "lingxing")
        self.charges_shipping = spec.channel in ("shopify", "shopee")
        self.events = [e for e in events if e.store_id == spec.store_id]
        self.start, self.end = start, end
        self.tz = ZoneInfo(spec.timezone)
        self.end_utc = self.utc(end + DAY)
        self.orders_only = orders_only
        self.ids = IdMaker(spec.platform, spec.marketplace, self.rng)
        self.holidays: dict[date, float] = {}
        for year in range(start.year, end.year + 1):
            self.holidays.update(holidays(year, spec.platform))
        self.base = self._base_rate(orders_per_day)
        self.prices: dict[tuple[int, str, int, bool], tuple[Decimal, Decimal, Decimal]] = {}
        self.later: list[tuple[datetime, int, Refund | ServiceEvent]] = []
        self.later_seq = 0
        self.buyers: list[tuple[str, str]] = []
        self.payouts = None if orders_only or spec.channel != "amazon" else Payouts(
            spec.currency, spec.sales_tax > 0, self.utc(start), store_no)
        self.stock = Stock(self, self.base)

    # -- time ------------------------------------------------------------------------------
    def utc(self, day: date) -> datetime:
        """Local midnight starting ``day``, as a UTC instant."""
        return datetime(day.year, day.month, day.day, tzinfo=self.tz).astimezone(UTC)

    def event(self, kind: str, day: date) -> Event | None:
        return next((e for e in self.events if e.kind == kind and e.covers(day)), None)

    def _factor(self, day: date) -> float:
        factor = demand_factor(day, self.spec.platform, self.holidays)
        if self.event("account_suspension", day):
            return 0.0
        if self.event("price_dumping", day):
            factor *= DUMPING_LIFT
        return factor

    def _base_rate(self, orders_per_day: float) -> float:
        """Scale the calendar so the period averages the asked orders per day (times the weight)."""
        days = (self.end - self.start).days + 1
        mean = sum(demand_factor(self.start + DAY * i, self.spec.platform, self.holidays) for i in range(days)) / days
        return orders_per_day * self.spec.weight / mean

    # -- the simulation ----------------------------------------------------------------------
    def run(self, start: date, end: date) -> StoreHistory:
        spec = self.spec
        history = StoreHistory(spec.store_id, spec.platform, spec.marketplace, spec.currency, spec.timezone,
                               products=list(self.products))
        day = start
        while day <= end:
            self._day(day, history)
            day += DAY
        upto = self.utc(end + DAY)
        while self.later and self.later[0][0] < upto:
            _, _, record = heapq.heappop(self.later)
            (history.refunds if isinstance(record, Refund) else history.service_events).append(record)  # type: ignore[arg-type]
        if self.payouts:
            history.settlements.extend(self.payouts.close_due(min(upto, self.end_utc)))
        return history

    def _day(self, day: date, history: StoreHistory) -> None:
        self.stock.morning(day)
        expected = self.base * self._factor(day)
        dumping = self.event("price_dumping", day) is not None
        totals = traffic.DayTotals(len(self.products))
        start = self.utc(day)
        seconds = int((self.utc(day + DAY) - start).total_seconds())
        for _ in range(self._poisson(expected)):
            self._order(start, seconds, "price_dumping" if dumping else "normal", totals, history)
        if self.event("brushing", day):
            for _ in range(max(3, self._poisson(expected * 0.3))):
                buyer = self.rng.choice(BRUSH_BUYERS)
                self._order(start, seconds, "brushing", totals, history, (buyer, BRUSH_POSTCODE))
        if self.orders_only:
            return
        traffic.sessions(self, day, expected, totals, history)
        traffic.ads(self, day, expected, totals, history)
        if self.payouts:
            if day.day == 1:
                self.payouts.monthly_fees(start + timedelta(hours=10), self.stock.storage_fee(self.spec.currency))
            history.settlements.extend(self.payouts.close_due(start))
        if day == month_end(day) or day == self.end:
            self.stock.snapshot(day, history)

    def _poisson(self, lam: float) -> int:
        if lam <= 0:
            return 0
        if lam > 30:
            return max(0, round(self.rng.gauss(lam, math.sqrt(lam))))
        limit, k, p = math.exp(-lam), 0, self.rng.random()
        while p > limit:
            k += 1
            p *= self.rng.random()
        return k

    def _order(self, day_start: datetime, seconds: int, level: str, totals: traffic.DayTotals,
               history: StoreHistory, buyer: tuple[str, str] | None = None) -> None:
        """One order of one to three lines. The hot path of a big demo: local names, no helpers
        for the common one-line case, prices from the cache."""
        spec, random_ = self.spec, self.rng.random
        hour = bisect(HOUR_CUM, random_() * HOUR_TOTAL)
        at = day_start + timedelta(seconds=min(hour * 3600 + int(random_() * 3600), seconds - 1))
        oid = self.ids.order(at)
        r = random_()
        picks = [bisect(self.cum, random_() * self.cum_top)] if r < 0.88 else self._pick(2 if r < 0.98 else 3)
        who, postal = buyer or self._buyer()
        status, updated = self._timeline(at)
        promo = level == "normal" and random_() < 0.08
        business = self.amazon and random_() < 0.04
        channel = "platform" if self.fba and random_() < 0.95 else "merchant"
        wanted = []
        for idx in picks:
            q = random_()
            qty = 1 if q < 0.86 else 2 if q < 0.97 else 3
            if self.stock.take(idx, qty):
                wanted.append((idx, qty, *self._price(idx, level, qty, promo)))
        if not wanted:
            return
        shipping = self._shipping(wanted) if self.charges_shipping else ZERO
        for no, (idx, qty, unit, tax, discount) in enumerate(wanted, 1):
            line = OrderLine(oid, no, at, updated, status, self.products[idx], qty, unit, spec.currency,
                             tax, shipping if no == 1 else ZERO, discount, who, postal,
                             spec.marketplace, channel, business, self.ids.order_item(no))
            history.orders.append(line)
            if not self.orders_only:
                totals.add(idx, line)
            if status != "cancelled":
                self._after_sale(line, level)

    def _pick(self, n: int) -> list[int]:
        """``n`` different products, drawn by popularity."""
        rng, cum, top = self.rng, self.cum, self.cum_top
        chosen: list[int] = []
        for _ in range(n * 3):
            idx = bisect(cum, rng.random() * top)
            if idx not in chosen:
                chosen.append(idx)
            if len(chosen) == n:
                break
        return chosen

    def _buyer(self) -> tuple[str, str]:
        """Most buyers are new; about one in six comes back (repeat purchases, LTV)."""
        rng = self.rng
        if self.buyers and rng.random() < 0.17:
            return self.buyers[below(rng, len(self.buyers))]
        new = (self.ids.buyer(), self.ids.postal())
        if len(self.buyers) < 20000:
            self.buyers.append(new)
        else:
            self.buyers[below(rng, len(self.buyers))] = new
        return new

    def _timeline(self, at: datetime) -> tuple[str, datetime]:
        """The order's final status and when it was reached (it is pending until then)."""
        rng = self.rng
        if rng.random() < self.spec.cancel_rate:
            return "cancelled", at + timedelta(minutes=below(rng, 1200, 30))
        final = FINAL_STATUS.get(self.spec.channel, "delivered")
        if final == "delivered":
            return final, at + timedelta(minutes=below(rng, 9000, 3600))
        return final, at + timedelta(minutes=below(rng, 1800, 240))

    def _price(self, idx: int, level: str, qty: int, promo: bool) -> tuple[Decimal, Decimal, Decimal]:
        """Unit price without tax, the line's tax and its promotion discount (cached)."""
        key = (idx, level, qty, promo)
        hit = self.prices.get(key)
        if hit is not None:
            return hit
        cur, spec = self.spec.currency, self.spec
        shelf = shelf_price(self.products[idx].sku, cur) * PRICE_LEVEL[level]
        shelf = shelf.quantize(Decimal(1)) if cur in ("JPY", "PHP") else quantize(shelf, cur)
        if spec.vat:  # the shelf price includes VAT: split it out
            unit = quantize(shelf / (1 + spec.vat), cur)
            tax = shelf * qty - unit * qty
        else:
            unit = shelf
            tax = quantize(unit * qty * spec.sales_tax, cur)
        discount = quantize(unit * qty * Decimal("0.10"), cur) if promo else Decimal(0)
        self.prices[key] = (unit, tax, discount)
        return unit, tax, discount

    def _shipping(self, wanted: list[tuple[int, int, Decimal, Decimal, Decimal]]) -> Decimal:
        """Shopify charges shipping under $35; Shopee buyers pay it on four orders in ten."""
        subtotal = sum((unit * qty for _, qty, unit, _, _ in wanted), ZERO)
        if self.spec.channel == "shopify" and subtotal < 35:
            return Decimal("4.95")
        if self.spec.channel == "shopee" and self.rng.random() < 0.4:
            return Decimal("45.00")
        return ZERO

    def _after_sale(self, line: OrderLine, level: str) -> None:
        rng = self.rng
        if self.payouts:
            self.payouts.order_line(line)
        if not self.orders_only and level != "brushing":
            self.stock.maybe_review(line)
        brushing = level == "brushing"
        if brushing or rng.random() < self.spec.refund_rate:
            delay = timedelta(minutes=rng.randrange(1200, 3000) if brushing else rng.randrange(3 * 1440, 28 * 1440))
            at = (line.purchased_at if brushing else line.updated_at) + delay
            refund = aftersales.refund_for(self, line, at, quick=brushing)
            self._later(refund.refunded_at, refund)
            if self.payouts:
                self.payouts.refund(refund, line.tax)
        if not self.orders_only and not brushing and rng.random() < 0.006:
            event = aftersales.service_event(self, line)
            self._later(event.occurred_at, event)

    def _later(self, at: datetime, record: Refund | ServiceEvent) -> None:
        if at < self.end_utc:  # what happens after the period is not in any export yet
            self.later_seq += 1
            heapq.heappush(self.later, (at, self.later_seq, record))
