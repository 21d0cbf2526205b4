"""How much of a period's volume a set of days is expected to carry, from the store's own history.

Pro-rating a target by calendar days is unfair to both sides: a stockout over two weekends costs a
store that sells mostly at weekends far more than ten weekdays would. So each (store, day) gets a
weight: the store's average value of the KPI's metric on that weekday over the ``HISTORY_WEEKS``
full weeks before the period starts (converted into the plan's currency). The share of a set of
days is the sum of their weights over the sum for every (store, day) of the period. A store
without history in that window puts the whole plan on calendar days (weights must share one
scale), and the result says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from kpiguard.metrics.engine import Query, run
from kpiguard.metrics.tables import LakeReader
from kpiguard.periods import days
from kpiguard.plans.model import Plan
from kpiguard.workspace import Workspace

HISTORY_WEEKS = 8
SHARE_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class Weights:
    """Expected weight per (store, day) of a period for one metric."""

    metric: str
    by_day: dict[tuple[str, date], Decimal]
    history_from: date
    history_to: date
    calendar_fallback: tuple[str, ...]  # stores without history (then every day weighs one)

    def share(self, excluded: set[tuple[str, date]]) -> Decimal:
        total = sum(self.by_day.values(), Decimal(0))
        if total == 0:
            return Decimal(0)
        part = sum((w for k, w in self.by_day.items() if k in excluded), Decimal(0))
        return part / total


def weekday_weights(ws: Workspace, reader: LakeReader, plan: Plan, metric: str, start: date, end: date,
                    as_of: date | None) -> Weights:
    """Each (store, day) of [start, end] weighted by the store's mean ``metric`` on that weekday."""
    h_to = start - timedelta(days=1)
    h_from = start - timedelta(weeks=HISTORY_WEEKS)
    rows = run(ws, Query(metrics=(metric,), date_from=h_from, date_to=h_to, stores=tuple(plan.stores),
                         by=("store", "day"), currency=plan.currency, definition_set=plan.definition_set,
                         as_of=as_of), reader)
    sums: dict[tuple[str, int], Decimal] = {}
    for r in rows:
        value = r.get(metric)
        if value is None:
            continue
        key = (r["store"], date.fromisoformat(r["period_start"]).weekday())
        sums[key] = sums.get(key, Decimal(0)) + Decimal(value)
    lacking = tuple(s for s in plan.stores if not any(sums.get((s, wd), Decimal(0)) != 0 for wd in range(7)))
    by_day: dict[tuple[str, date], Decimal] = {}
    for store in plan.stores:
        for d in days(start, end):
            # one store without history puts every store on calendar days: weights must share a scale
            by_day[(store, d)] = Decimal(1) if lacking else sums.get((store, d.weekday()), Decimal(0)) / HISTORY_WEEKS
    return Weights(metric, by_day, h_from, h_to, lacking)
