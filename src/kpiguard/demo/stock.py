"""Stock and reviews of one store's products: sold down by orders, refilled by inbound shipments.

A shipment of about 75 days of cover is ordered when stock and inbound fall under 45 days, and
arrives three weeks later, so the normal year has no stockout; the scenario's stockout empties the
hero SKU and holds its shipment "at customs" until the event ends. Month ends snapshot stock (as
the FBA inventory report shows it) and review counts and ratings (as a listing shows them).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from kpiguard.demo.catalog import quantize, shelf_price
from kpiguard.reportgen.model import InventoryRow, OrderLine, ReviewSnapshot, StoreHistory

if TYPE_CHECKING:
    from kpiguard.demo.world import StoreWorld

LEAD = timedelta(days=21)
REORDER_DAYS, ORDER_DAYS = 45, 75
UNITS_PER_ORDER = 1.35  # lines per order x units per line
STORAGE_PER_UNIT = {"USD": Decimal("0.06"), "EUR": Decimal("0.05"), "JPY": Decimal("8"), "PHP": Decimal("3"),
                    "GBP": Decimal("0.05")}
REVIEW_RATE = 0.015  # reviews per unit sold


class Stock:
    def __init__(self, world: StoreWorld, orders_per_day: float) -> None:
        self.world = world
        self.rate = [orders_per_day * p * UNITS_PER_ORDER for p in world.popularity]
        self.qty = [round(r * ORDER_DAYS) + 5 for r in self.rate]
        self.inbound: list[list[tuple[date, int]]] = [[] for _ in self.rate]
        self.index = {p.sku: i for i, p in enumerate(world.products)}
        self.stockout = next((e for e in world.events if e.kind == "stockout"), None)
        self.hero = self.index[self.stockout.sku] if self.stockout else -1
        rng = world.rng
        self.reviews = [round(3000 * p * world.spec.weight) + 20 for p in world.popularity]
        self.rating = [Decimal(str(round(4.3 + rng.random() * 0.4, 2))) for _ in world.popularity]

    def morning(self, day: date) -> None:
        """Shipments arrive, the stockout begins, low SKUs are reordered."""
        out = self.stockout
        if out and day == out.start:
            self.qty[self.hero] = 0
            self.inbound[self.hero] = [(out.end + timedelta(days=1), round(self.rate[self.hero] * ORDER_DAYS))]
        for i, shipments in enumerate(self.inbound):
            arrived = [s for s in shipments if s[0] <= day]
            if arrived:
                self.qty[i] += sum(n for _, n in arrived)
                self.inbound[i] = [s for s in shipments if s[0] > day]
            if not self.inbound[i] and self.qty[i] < self.rate[i] * REORDER_DAYS:
                self.inbound[i] = [(day + LEAD, round(self.rate[i] * ORDER_DAYS) + 1)]

    def take(self, idx: int, qty: int) -> bool:
        if self.qty[idx] < qty:
            return False  # out of stock: the sale is lost
        self.qty[idx] -= qty
        return True

    def storage_fee(self, currency: str) -> Decimal:
        return quantize(Decimal(sum(self.qty)) * STORAGE_PER_UNIT.get(currency, Decimal("0.05")), currency)

    def maybe_review(self, line: OrderLine) -> None:
        if self.world.rng.random() < REVIEW_RATE * line.quantity:
            self.reviews[self.index[line.product.sku]] += 1

    def snapshot(self, day: date, history: StoreHistory) -> None:
        rng, cur = self.world.rng, self.world.spec.currency
        rows = []
        for i, product in enumerate(self.world.products):
            on_hand = self.qty[i]
            reserved = min(on_hand, int(self.rate[i] * 2))  # picked for open orders
            unsellable = rng.randrange(0, 4) if on_hand else 0
            inbound = sum(n for _, n in self.inbound[i])
            rows.append(InventoryRow(product, on_hand - reserved, reserved, unsellable, inbound,
                                     shelf_price(product.sku, cur)))
            drift = Decimal(str(round(rng.gauss(0, 0.03), 2)))
            self.rating[i] = min(Decimal("4.9"), max(Decimal("3.8"), self.rating[i] + drift))
            history.reviews.append(ReviewSnapshot(day, product, self.reviews[i], self.rating[i]))
        history.inventory[day] = rows
