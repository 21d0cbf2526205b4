"""A store's own daily shape: how its volume spreads over the days of a period.

A month is not 30 equal days: a store that sells twice as much on weekends has more than half of
a month's volume still ahead on the 15th if the second half holds more weekends, and a November
holds Black Friday. So the expected volume of a day is

    expected(day) = level x seasonal(day) x weekday(day's weekday)

fitted from the store's history up to a day ``t`` (never after it):

- ``weekday``: Monday..Sunday factors (mean 1) from the last 12 full weeks (at least 4), each
  weekday's trimmed mean (its highest and lowest day dropped, so one week of stockout or
  suspension does not bend the pattern), divided by the mean of the seven;
- ``seasonal``: when the store has a year of history before the days asked about, the 7-day
  average of the same days one year earlier (364 days, so weekdays and Black Friday line up);
  otherwise 1 for every day (no year of history: the level alone carries the season);
- ``level``: the recent run rate, the last 28 days' volume divided by their seasonal x weekday
  weights (four whole weeks: long enough to steady a rate such as ACoS, short enough to follow a
  season). At least 7 days of history are needed, else there is no shape at all.

Floats are used here: these are statistics; money leaves pacing as Decimal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

WEEK_WINDOW_WEEKS = 12
MIN_WEEKDAY_WEEKS = 4
LEVEL_DAYS = 28
MIN_LEVEL_DAYS = 7
YEAR = 364  # 52 weeks: the same weekday one year earlier
SEASON_HALF_WIDTH = 3  # the seasonal value of a day is the mean of last year's day +-3
FLAT = (1.0,) * 7


@dataclass(frozen=True)
class History:
    """One store's daily values of one measure from its first day with a non-zero value."""

    first: date
    values: tuple[float, ...]

    @property
    def last(self) -> date:
        return self.first + timedelta(days=len(self.values) - 1)

    def at(self, day: date) -> float | None:
        i = (day - self.first).days
        return self.values[i] if 0 <= i < len(self.values) else None

    def total(self, start: date, end: date) -> float:
        lo, hi = max((start - self.first).days, 0), min((end - self.first).days, len(self.values) - 1)
        return sum(self.values[lo:hi + 1]) if hi >= lo else 0.0


def history(days: dict[date, Decimal]) -> History | None:
    """Dense history from the first non-zero day to the last loaded day; None without any."""
    nonzero = [d for d, v in days.items() if v != 0]
    if not nonzero:
        return None
    first, last = min(nonzero), max(days)
    span = (last - first).days + 1
    return History(first, tuple(float(days.get(first + timedelta(days=i), 0)) for i in range(span)))


@dataclass(frozen=True)
class Shape:
    """The fitted expected volume per day, from history up to ``fitted_on``."""

    kind: str  # "weekday+last_year" | "weekday" | "calendar"
    weekday: tuple[float, ...]
    level: float
    source: History
    seasonal: bool

    def relative(self, day: date) -> float:
        return (season(self.source, day) if self.seasonal else 1.0) * self.weekday[day.weekday()]

    def expected(self, start: date, end: date) -> float:
        """Expected volume over [start, end] (0 for an empty range)."""
        days = (end - start).days + 1
        return self.level * sum(self.relative(start + timedelta(days=i)) for i in range(max(days, 0)))


def season(h: History, day: date) -> float:
    center = day - timedelta(days=YEAR)
    return h.total(center - timedelta(days=SEASON_HALF_WIDTH), center + timedelta(days=SEASON_HALF_WIDTH)) / (
        2 * SEASON_HALF_WIDTH + 1)


def fit(h: History, t: date, since: date, window: int = LEVEL_DAYS) -> Shape | None:
    """The shape from ``h`` up to day ``t`` (level over the last ``window`` days), able to weigh
    every day from ``since`` on.

    Last year's seasonal values are used only when the history covers the year before every day
    that will be weighed (``since`` and the fitting windows), so a shape never mixes methods.
    """
    if (t - h.first).days + 1 < MIN_LEVEL_DAYS:
        return None
    earliest = min(since, t - timedelta(days=7 * WEEK_WINDOW_WEEKS - 1), t - timedelta(days=LEVEL_DAYS - 1))
    seasonal = h.first <= earliest - timedelta(days=YEAR + SEASON_HALF_WIDTH)
    weekday = weekday_factors(h, t, seasonal)
    shape = Shape("calendar" if weekday == FLAT else "weekday", weekday, 0.0, h, seasonal)
    if seasonal:
        shape = Shape("weekday+last_year" if weekday != FLAT else "last_year", weekday, 0.0, h, True)
    start = max(h.first, t - timedelta(days=window - 1))
    weight = sum(shape.relative(start + timedelta(days=i)) for i in range((t - start).days + 1))
    if weight <= 0:
        return None
    return Shape(shape.kind, weekday, h.total(start, t) / weight, h, seasonal)


def weekday_factors(h: History, t: date, seasonal: bool) -> tuple[float, ...]:
    """Monday..Sunday factors (mean 1) from the last full weeks up to ``t``; flat if too few."""
    weeks = min(WEEK_WINDOW_WEEKS, ((t - h.first).days + 1) // 7)
    if weeks < MIN_WEEKDAY_WEEKS:
        return FLAT
    by_day: list[list[float]] = [[] for _ in range(7)]
    for i in range(7 * weeks):
        day = t - timedelta(days=i)
        value = h.at(day) or 0.0
        if seasonal:
            base = season(h, day)
            if base <= 0:
                continue
            value /= base
        by_day[day.weekday()].append(value)
    if any(len(v) < 3 for v in by_day):
        return FLAT
    means = [trimmed_mean(v) for v in by_day]
    overall = sum(means) / 7
    return FLAT if overall <= 0 else tuple(m / overall for m in means)


def trimmed_mean(values: list[float]) -> float:
    """Mean without the highest and the lowest value (with three or more values)."""
    ordered = sorted(values)
    inner = ordered[1:-1] if len(ordered) >= 3 else ordered
    return sum(inner) / len(inner)


def period_reported(h: History, t: date) -> bool:
    """Whether the values arrive in period rows rather than by day, up to ``t``.

    A business report for a month is stored on the month's first day (``traffic_date`` is the
    row's period start), so sessions jump once a month and are 0 in between: no daily shape can be
    read from that, and a month-to-date report would make the remainder unknowable. Recognised as:
    every non-zero day is the 1st of a month (at least 2), or they are exactly a week apart (at
    least 4: weekly reports).
    """
    days = [h.first + timedelta(days=i) for i, v in enumerate(h.values[: (t - h.first).days + 1]) if v]
    if len(days) >= 2 and all(d.day == 1 for d in days):
        return True
    return len(days) >= 4 and all((b - a).days == 7 for a, b in zip(days, days[1:], strict=False))
