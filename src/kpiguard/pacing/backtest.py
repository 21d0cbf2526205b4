"""How good are the forecasts? Replay them over a store's own history and compare with what happened.

For every store and every full calendar month of its history that has at least ``min_history_days``
before the forecast day, the month-end value of each metric is forecast from the data up to day
``day_of_month`` (the 15th: mid-month) exactly as ``pace`` would, and compared with the month's
actual. The error is the absolute percentage error, ``|forecast - actual| / |actual|``; MAPE is its
mean over months (per store, and over all store-months). Beside it runs the naive baseline a
spreadsheet would use, calendar-day pro-rating (``to date x days in month / days elapsed``; for a
ratio that is the rate to date), so the numbers mean something. Each store is computed in its own
currency. Months with real disruptions (a stockout, a suspension) are kept: they are what pacing
is for, and the per-store figures show where they hurt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from kpiguard.errors import Finding, InputError
from kpiguard.metrics import catalog as catalog_mod
from kpiguard.metrics import formula
from kpiguard.metrics.engine import load_stores, render
from kpiguard.metrics.tables import LakeReader
from kpiguard.pacing import daily, kpis
from kpiguard.pacing.forecast import from_daily
from kpiguard.periods import month_end
from kpiguard.workspace import Workspace

Which = Literal["model", "naive"]
PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class BacktestCase:
    store: str
    metric: str
    month: date  # its first day
    as_of: date
    currency: str
    actual: Decimal | None
    forecast: Decimal | None
    naive: Decimal | None
    low: Decimal | None  # the model's 80% interval
    high: Decimal | None
    interval_method: str
    shape: str

    def ape(self, which: Which = "model") -> Decimal | None:
        value = self.forecast if which == "model" else self.naive
        if value is None or self.actual is None or self.actual == 0:
            return None
        return (abs(value - self.actual) / abs(self.actual)).quantize(PLACES, ROUND_HALF_UP)

    @property
    def inside(self) -> bool | None:
        if self.low is None or self.high is None or self.actual is None:
            return None
        return self.low <= self.actual <= self.high


@dataclass(frozen=True)
class BacktestResult:
    day_of_month: int
    metrics: tuple[str, ...]
    stores: tuple[str, ...]
    cases: list[BacktestCase]

    def _cases(self, metric: str, store: str | None) -> list[BacktestCase]:
        return [c for c in self.cases if c.metric == metric and (store is None or c.store == store)]

    def mape(self, metric: str, store: str | None = None, which: Which = "model") -> Decimal | None:
        """Mean absolute percentage error over the store's (or every store's) months."""
        errors = [e for c in self._cases(metric, store) if (e := c.ape(which)) is not None]
        return (sum(errors, Decimal(0)) / len(errors)).quantize(PLACES, ROUND_HALF_UP) if errors else None

    def months(self, metric: str, store: str | None = None) -> int:
        return sum(1 for c in self._cases(metric, store) if c.ape() is not None)

    def coverage(self, metric: str, store: str | None = None) -> Decimal | None:
        """Share of months whose actual fell inside the 80% interval (0.8 if the interval is honest)."""
        hits = [c.inside for c in self._cases(metric, store) if c.inside is not None]
        return (Decimal(sum(hits)) / len(hits)).quantize(PLACES, ROUND_HALF_UP) if hits else None


def backtest(ws: Workspace, stores: Sequence[str] | None = None, metrics: Sequence[str] = ("gmv", "acos"),
             day_of_month: int = 15, definition_set: str = "standard@1",
             min_history_days: int = 56) -> BacktestResult:
    cat = catalog_mod.load()
    _check(cat, metrics, day_of_month)
    rows = load_stores(ws, tuple(stores) if stores is not None else None)
    ids = tuple(r.store_id for r in rows)
    spans = _spans(ws, ids)
    cases: list[BacktestCase] = []
    if spans:
        lo, hi = min(s[0] for s in spans.values()), max(s[1] for s in spans.values())
        data = daily.load(ws, ids, tuple(metrics), lo, hi, None, definition_set)
        for r in rows:
            if r.store_id in spans:
                cases += _store_cases(data, r.store_id, r.currency, spans[r.store_id], metrics, day_of_month,
                                      min_history_days)
    return BacktestResult(day_of_month, tuple(metrics), ids, cases)


def _check(cat: catalog_mod.Catalog, metrics: Sequence[str], day_of_month: int) -> None:
    problems = [Finding("backtest.metric", f"{m!r} is not a metric that adds up by day", column="metrics",
                        hint="see kpiguard metrics list; distinct counts and ratings cannot be paced")
                for m in metrics if m not in set(cat.keys()) or not daily.pacable(m)]
    if not 1 <= day_of_month <= 27:
        problems.append(Finding("backtest.day", f"day {day_of_month} of the month", column="day_of_month",
                                hint="a day from 1 to 27, so that every month has days after it"))
    if problems:
        raise InputError("the backtest cannot run", problems)


def _spans(ws: Workspace, stores: tuple[str, ...]) -> dict[str, tuple[date, date]]:
    """Per store, the first and last local day with order lines (a day of slack for time zones)."""
    if not stores:
        return {}
    t = LakeReader(ws).current("order_lines", stores)
    got = t.group_by("store_id").aggregate(lo=t.order_date_local.min(), hi=t.order_date_local.max())
    return {r["store_id"]: (r["lo"] - timedelta(days=1), r["hi"] + timedelta(days=1))
            for r in got.to_pyarrow().to_pylist() if r["lo"] is not None}


def _store_cases(data: daily.Daily, store: str, currency: str, span: tuple[date, date], metrics: Sequence[str],
                 day_of_month: int, min_history_days: int) -> list[BacktestCase]:
    cat = catalog_mod.load()
    first = min((d for (s, _m), days in data.items() if s == store for d, v in days.items() if v != 0), default=None)
    if first is None:
        return []
    out = []
    month = first.replace(day=1)
    while month_end(month) <= span[1] - timedelta(days=1):
        as_of = month.replace(day=day_of_month)
        if (as_of - first).days >= min_history_days:
            out += [_case(data, store, currency, cat.metric(m), month, as_of) for m in metrics]
        month = month_end(month) + timedelta(days=1)
    return out


def _case(data: daily.Daily, store: str, currency: str, metric: catalog_mod.Metric, month: date,
          as_of: date) -> BacktestCase:
    end = month_end(month)
    names = metric.measures()
    outlook = from_daily(data, [store], names, as_of, month, end)
    f = kpis.forecast(metric, None, outlook, currency)
    days = {m: data.get((store, m), {}) for m in names}
    whole: dict[str, Decimal | None] = {m: sum((v for d, v in days[m].items() if month <= d <= end), Decimal(0)) for m in names}
    elapsed, total = (as_of - month).days + 1, (end - month).days + 1
    naive: dict[str, Decimal | None] = {m: outlook.actual[m] * total / elapsed for m in names}
    has = all((store, m) in data for m in names)  # a store without the table has no value at all

    def value(values: dict[str, Decimal | None]) -> Decimal | None:
        v = formula.evaluate(metric.formula, values) if has else None
        text = None if v is None else render(v, metric.unit, currency)
        return None if text is None else Decimal(text)

    return BacktestCase(store, metric.key, month, as_of, currency, value(whole), f.value, value(naive), f.low,
                        f.high, outlook.spread.method, outlook.shape_of(metric.formula))
