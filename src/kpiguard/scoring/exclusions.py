"""Days taken out of a KPI's period: approved force-majeure events and late dependencies.

An approved event of a type the plan's clause covers takes its days out for the stores it hit,
at most ``max_days_per_period`` days per store (the earliest ones; the rest are listed as over the
limit). A dependency whose deliverable came late takes out the days it was overdue, for that KPI
only, when its clause is ``exclude_late_days``. The result is a set of (store, local day) pairs per
KPI, and ``ExcludingReader`` serves the lake without the rows dated on them, so every measure —
sums, distinct counts, ratios — is computed over the remaining days alike. Rows that cover a
longer period (a monthly business report) cannot be split by day and stay whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import ibis

from kpiguard.events.store import Event
from kpiguard.metrics.tables import LakeReader
from kpiguard.plans.model import Dependency, Plan

# the marketplace-local date each canonical table's rows are dated by
ROW_DAY = {
    "order_lines": "order_date_local", "refunds": "refund_date_local", "traffic": "period_start_local",
    "ad_performance": "period_start_local", "fees": "posted_date_local",
    "inventory_snapshots": "snapshot_date_local", "reviews": "snapshot_date_local", "cs_events": "event_date_local",
}

StoreDay = tuple[str, date]


@dataclass
class Exclusion:
    """The (store, day) pairs left out of one KPI, with why."""

    days: set[StoreDay] = field(default_factory=set)
    reasons: list[dict[str, Any]] = field(default_factory=list)

    def key(self) -> frozenset[StoreDay]:
        return frozenset(self.days)


def event_days(plan: Plan, events: list[Event], start: date, end: date) -> tuple[set[StoreDay], list[dict[str, Any]]]:
    """Days of approved, covered events in [start, end], capped per store by the clause."""
    clause = plan.adjustments
    if clause is None:
        return set(), []
    wanted: dict[str, set[date]] = {}
    reasons = []
    for e in events:
        if e.status != "approved" or e.event_type not in clause.events:
            continue
        days = e.days_in(start, end)
        if not days:
            continue
        for s in e.stores:
            wanted.setdefault(s, set()).update(days)
        reasons.append({"source": "event", "event_id": e.event_id, "type": e.event_type, "stores": list(e.stores),
                        "start": str(max(e.start, start)), "end": str(min(e.end, end)), "days": len(days)})
    kept: set[StoreDay] = set()
    for store, store_days in sorted(wanted.items()):
        ordered = sorted(store_days)
        limit = clause.max_days_per_period
        if limit is not None and len(ordered) > limit:
            reasons.append({"source": "limit", "store": store, "max_days_per_period": limit,
                            "not_excluded": [str(d) for d in ordered[limit:]]})
            ordered = ordered[:limit]
        kept.update((store, d) for d in ordered)
    return kept, reasons


def late_days(dep: Dependency, delivered_on: date | None, start: date, end: date) -> list[date]:
    """Days in [start, end] on which the deliverable was overdue: after ``due``, before delivery."""
    if dep.due is None:
        return []
    last = (delivered_on - timedelta(days=1)) if delivered_on is not None else end
    first = max(dep.due + timedelta(days=1), start)
    last = min(last, end)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)] if last >= first else []


class ExcludingReader(LakeReader):
    """A lake reader that leaves out every row dated on an excluded (store, day)."""

    def __init__(self, base: LakeReader, days: frozenset[StoreDay]) -> None:
        super().__init__(base.ws, base.con, base.full_rows, base.parts)
        self.base = base  # its materialised tables are shared, not read again
        self.days = days
        self._filtered: dict[tuple[str, tuple[str, ...] | None], ibis.Table] = {}

    def current(self, table: str, stores: tuple[str, ...] | None = None) -> ibis.Table:
        t = self.base.current(table, stores)
        column = ROW_DAY.get(table)
        if column is None or not self.days:
            return t
        key = (table, stores)
        if key not in self._filtered:
            out = ibis.memtable({"_x_store": [s for s, _ in sorted(self.days)], "_x_day": [d for _, d in sorted(self.days)]},
                                schema={"_x_store": "string", "_x_day": "date"})
            kept = t.anti_join(out, [t.store_id == out._x_store, t[column] == out._x_day])
            if "period_end_local" in t.columns:
                # a row for a longer period (a monthly business report) cannot be split by day: it stays
                longer = t.filter(t.period_end_local != t.period_start_local)
                kept = kept.filter(kept.period_end_local == kept.period_start_local).union(longer)
            self._filtered[key] = kept
        return self._filtered[key]
