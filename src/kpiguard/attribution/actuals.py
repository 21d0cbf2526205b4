"""The measured side: sessions, orders, GMV and the profit components from the metric engine.

Engine queries in the plan's currency and under the plan's definition set, so every figure here
is the one ``kpiguard query`` shows for the same arguments: grouped by store or by SKU, and the
plan's stores together (``by=None``) for the total. The total is asked of the engine rather than
added up here because the engine knows what a missing table means for a group of stores: a store
without a refund report has refunds of 0 when the other store has one, but unknown on its own.
For SKU groups, orders are counted per SKU (an order with two SKUs counts once for each), and
"other" is the sum of its SKUs (``total``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

from kpiguard.metrics.engine import Query, run
from kpiguard.plans.decomposition import DriverMonth
from kpiguard.plans.model import Plan
from kpiguard.workspace import Workspace

METRICS: tuple[str, ...] = ("sessions", "orders", "gmv", "net_sales", "gross_profit", "ad_spend", "platform_fees",
                            "net_profit")
NO_SKU = "(no SKU)"
TOTAL = "total"


@dataclass(frozen=True)
class Measured:
    """One group's figures for one period (None: the engine has no data to say)."""

    sessions: Decimal | None = None
    orders: Decimal | None = None
    gmv: Decimal | None = None
    net_sales: Decimal | None = None
    gross_profit: Decimal | None = None
    ad_spend: Decimal | None = None
    platform_fees: Decimal | None = None
    net_profit: Decimal | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Measured:
        return cls(**{m: None if row.get(m) is None else Decimal(str(row[m])) for m in METRICS})

    def driver_month(self, start: date) -> DriverMonth | None:
        """For ``plans.decomposition``: None without sessions (a store without a traffic report)."""
        if self.sessions is None:
            return None
        return DriverMonth(start, self.sessions, self.orders or Decimal(0), self.gmv or Decimal(0))


def total(groups: Iterable[Measured]) -> Measured:
    """The sum of groups (SKUs into "other"); a figure no group knows stays unknown."""
    items = list(groups)
    out: dict[str, Decimal | None] = {}
    for f in fields(Measured):
        known = [getattr(g, f.name) for g in items if getattr(g, f.name) is not None]
        out[f.name] = sum(known, Decimal(0)) if known else None
    return Measured(**out)


def measure(ws: Workspace, plan: Plan, start: date, end: date, by: str | None) -> dict[str, Measured]:
    """Group key (store id, or SKU with ``NO_SKU`` for rows without one) -> figures; with
    ``by=None`` one group, ``TOTAL``, for the plan's stores together."""
    rows = run(ws, Query(METRICS, start, end, tuple(plan.stores), (by,) if by else (), plan.currency,
                         plan.definition_set))
    if by is None:
        return {TOTAL: Measured.from_row(rows[0]) if rows else Measured()}
    out: dict[str, list[Measured]] = {}
    for row in rows:
        key = row.get(by)
        out.setdefault(NO_SKU if key is None else str(key), []).append(Measured.from_row(row))
    return {k: v[0] if len(v) == 1 else total(v) for k, v in out.items()}
