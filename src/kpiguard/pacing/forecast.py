"""Where a period is heading: per measure, the actual to date, the expected remainder, and how far
past forecasts of the same store at the same horizon missed.

For every store and measure the remainder of the period is ``level x sum of the remaining days'
relative volume`` (``shape.py``); stores add up. The interval comes from the store's own record:

- **forecast errors** (preferred): the same forecast is replayed from earlier days ``t`` of the
  store's history, on the same weekday as ``as_of`` and with the same number of days ahead, and
  each replay's actual-over-forecast ratio is kept (per store and measure, all from the same ``t``,
  so a day on which ad spend and ad sales both ran high stays one scenario). Applied to today's
  remainders, each replay gives one scenario of the final figure; their root-mean-square distance
  from the forecast is the spread. Needs at least ``MIN_REPLAYS`` replays (about 4 months of
  history for a mid-month forecast);
- **day-to-day variation** (fallback, shorter histories): each remaining day is taken to vary
  independently with the relative spread of the last 28 days around their fitted shape; the spread
  of the final figure follows by perturbing each remainder by its standard deviation. Days are not
  independent, so this interval is narrower than the truth; the report names the method.

The final figure is then taken as normal with that spread (80% interval: +-1.2816 sigma).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from statistics import NormalDist

from kpiguard.metrics import formula
from kpiguard.metrics.catalog import formula_names
from kpiguard.pacing.shape import LEVEL_DAYS, History, Shape, fit, history, period_reported

MIN_REPLAYS = 5
MAX_REPLAYS = 20
EXACT = 1e-9  # a spread this small relative to the forecast is rounding, not uncertainty
Z80 = NormalDist().inv_cdf(0.9)  # 1.2816: 80% of a normal distribution lies within +-Z80 sigma

Key = tuple[str, str]  # (store, measure)


@dataclass(frozen=True)
class Spread:
    """Changes to the remainders and their weights: variance = sum w x (f(M + delta) - f(M))^2."""

    method: str  # "forecast_errors" | "day_to_day" | "complete" | "none"
    deltas: list[dict[str, float]] = field(default_factory=list)
    weight: float = 1.0


@dataclass(frozen=True)
class Outlook:
    """The measures of one or more stores over one period, seen from ``as_of``."""

    as_of: date
    start: date
    end: date
    actual: dict[str, Decimal]  # to date, exact
    remainder: dict[str, float]  # expected from the day after as_of to the period end
    expected_to_date: dict[str, float]  # the current shape's volume from the start to as_of
    expected_period: dict[str, float]  # ... over the whole period
    shapes: dict[str, set[str]]  # measure -> the shape kinds its stores were fitted with
    spread: Spread
    missing: set[str]  # measures some store cannot forecast (too little history, or coarse)
    coarse: set[str] = field(default_factory=set)  # measures reported in period rows, not by day
    absent: set[str] = field(default_factory=set)  # measures no store has any data for

    @property
    def remaining_days(self) -> int:
        return max((self.end - self.as_of).days, 0)

    def total(self, measure: str) -> float:
        return float(self.actual[measure]) + self.remainder[measure]

    def value(self, expr: str, values: dict[str, float]) -> float | None:
        result = formula.evaluate(expr, {k: Decimal(repr(v)) for k, v in values.items()})
        return None if result is None else float(result)

    def forecast(self, expr: str) -> float | None:
        if self.missing & formula_names(expr):
            return None
        return self.value(expr, {m: self.total(m) for m in self.actual})

    def sigma(self, expr: str) -> float | None:
        centre = self.forecast(expr)
        if centre is None or self.spread.method == "none":
            return None
        if self.spread.method == "complete":
            return 0.0
        total = 0.0
        for delta in self.spread.deltas:
            moved = self.value(expr, {m: self.total(m) + delta.get(m, 0.0) for m in self.actual})
            if moved is None:
                return None
            total += self.spread.weight * (moved - centre) ** 2
        sigma = math.sqrt(total)
        return 0.0 if sigma <= EXACT * max(abs(centre), 1.0) else sigma  # float dust of a perfect record

    def shape_of(self, expr: str) -> str:
        return ",".join(sorted(set().union(*(self.shapes.get(m, set()) for m in formula_names(expr)))))


def outlook(series: dict[Key, History | None], actual: dict[Key, Decimal], measures: Iterable[str],
            as_of: date, start: date, end: date) -> Outlook:
    """Sum the stores' forecasts per measure; ``series`` holds every (store, measure) with data."""
    names = sorted(set(measures))
    fits: dict[Key, Shape] = {}
    replays: dict[Key, dict[date, Replay]] = {}
    missing: set[str] = set()
    coarse: set[str] = set()
    out_actual = {m: Decimal(0) for m in names}
    remainder = dict.fromkeys(names, 0.0)
    to_date, period = dict.fromkeys(names, 0.0), dict.fromkeys(names, 0.0)
    horizon = (end - as_of).days
    for (store, m), h in series.items():
        if m not in out_actual:
            continue
        out_actual[m] += actual.get((store, m), Decimal(0))
        if h is None:
            continue  # no non-zero day at all: the store adds nothing to this measure
        if period_reported(h, as_of):
            coarse.add(m)
            continue
        shape, replays[(store, m)] = choose(h, as_of, start, horizon)
        if shape is None:
            missing.add(m)
            continue
        fits[(store, m)] = shape
        remainder[m] += shape.expected(as_of + timedelta(days=1), end)
        to_date[m] += shape.expected(start, as_of)
        period[m] += shape.expected(start, end)
    absent = {m for m in names if not any(key[1] == m for key in series)}  # no store has the table
    spread = _spread(fits, replays, as_of, horizon)
    return Outlook(as_of, start, end, out_actual, remainder, to_date, period,
                   _kinds(fits), spread, missing | coarse | absent, coarse, absent)


def _kinds(fits: dict[Key, Shape]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for (_store, m), shape in fits.items():
        out.setdefault(m, set()).add(shape.kind)
    return out


@dataclass(frozen=True)
class Replay:
    """A forecast made on an earlier day ``t`` for the ``horizon`` days after it, and what came."""

    t: date
    predicted: float
    happened: float

    @property
    def error(self) -> float | None:
        return self.happened / self.predicted - 1 if self.predicted > 0 else None


def replay(h: History, as_of: date, horizon: int, window: int) -> dict[date, Replay]:
    """Replays from the days t = as_of - 7k (same weekday) whose horizon ends by ``as_of``."""
    out: dict[date, Replay] = {}
    k = max(math.ceil(horizon / 7), 1)
    while len(out) < MAX_REPLAYS:
        t = as_of - timedelta(days=7 * k)
        k += 1
        past = fit(h, t, t + timedelta(days=1), window)
        if past is None:
            break  # earlier days have even less history
        out[t] = Replay(t, past.expected(t + timedelta(days=1), t + timedelta(days=horizon)),
                        h.total(t + timedelta(days=1), t + timedelta(days=horizon)))
    return out


def choose(h: History, as_of: date, start: date, horizon: int) -> tuple[Shape | None, dict[date, Replay]]:
    """Today's shape and its replays on the store's own history (none once the period is over)."""
    return fit(h, as_of, start), (replay(h, as_of, horizon, LEVEL_DAYS) if horizon > 0 else {})


def _spread(fits: dict[Key, Shape], replays: dict[Key, dict[date, Replay]], as_of: date, horizon: int) -> Spread:
    """One scenario per day t that every store and measure could replay: today's remainders moved
    by that replay's actual-over-forecast ratio (so measures that missed together stay together)."""
    if horizon <= 0:
        return Spread("complete")
    if not fits:
        return Spread("none")
    days = set.intersection(*(set(replays.get(key, {})) for key in fits))
    scenarios: list[dict[str, float]] = []
    for t in sorted(days, reverse=True)[:MAX_REPLAYS]:
        scenario: dict[str, float] = {}
        for key, now in fits.items():
            r = replays[key][t]
            rest = now.expected(as_of + timedelta(days=1), as_of + timedelta(days=horizon))
            change = rest * r.error if r.error is not None else r.happened - r.predicted
            scenario[key[1]] = scenario.get(key[1], 0.0) + change
        scenarios.append(scenario)
    if len(scenarios) >= MIN_REPLAYS:
        return Spread("forecast_errors", scenarios, 1.0 / len(scenarios))
    return _day_to_day(fits, as_of, horizon)


def _day_to_day(fits: dict[Key, Shape], as_of: date, horizon: int) -> Spread:
    """Perturb each store's remainder by sqrt(sum of its days' variances), independent days."""
    deltas: list[dict[str, float]] = []
    for (_store, m), shape in fits.items():
        residuals = []
        for i in range(LEVEL_DAYS):
            day = as_of - timedelta(days=i)
            value, expected = shape.source.at(day), shape.level * shape.relative(day)
            if value is not None and expected > 0:
                residuals.append(value / expected - 1)
        if len(residuals) < 7:
            return Spread("none")
        mean = sum(residuals) / len(residuals)
        rel_sd = math.sqrt(sum((r - mean) ** 2 for r in residuals) / (len(residuals) - 1))
        days = [as_of + timedelta(days=i) for i in range(1, horizon + 1)]
        sd = rel_sd * math.sqrt(sum((shape.level * shape.relative(d)) ** 2 for d in days))
        deltas.append({m: sd})
    return Spread("day_to_day", deltas, 1.0)


def from_daily(data: dict[Key, dict[date, Decimal]], stores: Iterable[str], measures: Iterable[str],
               as_of: date, start: date, end: date) -> Outlook:
    """The outlook of ``stores`` from daily measure values, using nothing after ``as_of``."""
    wanted_stores, wanted = set(stores), set(measures)
    series: dict[Key, History | None] = {}
    to_date: dict[Key, Decimal] = {}
    for key, days in data.items():
        if key[0] not in wanted_stores or key[1] not in wanted:
            continue
        known = {d: v for d, v in days.items() if d <= as_of}
        series[key] = history(known) if known else None
        to_date[key] = sum((v for d, v in known.items() if d >= start), Decimal(0))
    return outlook(series, to_date, wanted, as_of, start, end)
