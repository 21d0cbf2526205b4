"""A store's own history, month by month, for suggesting targets and judging their feasibility.

The plan linter and ``plan new`` never guess what a store can do: they look at the months before
the plan starts, computed by the metric layer under the plan's definition set and in the plan's
currency. Months without data are left out rather than counted as zero.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from kpiguard.errors import UserError
from kpiguard.metrics.engine import Query, run
from kpiguard.periods import month_end
from kpiguard.workspace import Workspace


def months_before(start: date, count: int) -> tuple[date, date]:
    first = start.replace(day=1)
    for _ in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
    return first, start.replace(day=1) - timedelta(days=1)


def monthly(ws: Workspace, metrics: list[str], stores: list[str], currency: str, definition_set: str,
            before: date, months: int = 12) -> dict[str, list[Decimal]]:
    """metric -> values of the full months before ``before`` (oldest first), months with data only."""
    if not metrics or not stores:
        return {}
    start, end = months_before(before, months)
    if end < start:
        return {}
    try:
        rows = run(ws, Query(tuple(dict.fromkeys(metrics)), start, month_end(end), tuple(stores), ("month",),
                             currency, definition_set))
    except UserError:
        return {}  # no data, no rates, unknown store: the caller treats history as unknown
    out: dict[str, list[Decimal]] = {m: [] for m in metrics}
    for row in sorted(rows, key=lambda r: r["period_start"]):
        for m in metrics:
            if row.get(m) is not None:
                out[m].append(Decimal(row[m]))
    return {m: v for m, v in out.items() if v}
