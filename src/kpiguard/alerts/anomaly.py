"""A robust anomaly score for one day of a daily series, against the same weekday's history.

Shop sales have a strong weekly rhythm (Sundays are not Tuesdays), so a day is compared with
the same weekday of the trailing ``weeks`` weeks only. Mean and standard deviation would be
dragged by the very outliers we look for (a Prime Day, a stockout week), so the centre is the
median and the spread the median absolute deviation (MAD). The score is Iglewicz and Hoaglin's
modified z-score,

    score = 0.6745 * (value - median) / MAD

and ``|score| >= 3.5`` is their suggested cut-off. When more than half the history is identical
the MAD is 0; the score then uses the mean absolute deviation instead,
``(value - median) / (1.2533 * MeanAD)`` (1.2533 = sqrt(pi/2) makes MeanAD a standard deviation
for normal data). A history with no spread at all (every value equal) is not judged: there is
nothing to say how far is far.

Pure functions over ``list[(date, Decimal)]``; Decimal throughout, no float.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

MAD_FACTOR = Decimal("0.6745")  # the 0.75 quantile of the standard normal
MEANAD_FACTOR = Decimal("1.2533")  # sqrt(pi / 2)
DEFAULT_THRESHOLD = Decimal("3.5")


@dataclass(frozen=True)
class AnomalyScore:
    """One day judged against its weekday's history; ``history`` is most recent first."""

    day: date
    value: Decimal
    history: tuple[Decimal, ...]
    median: Decimal
    spread: Decimal  # the MAD, or the mean absolute deviation when the MAD is 0
    spread_kind: Literal["mad", "meanad"]
    score: Decimal

    def flagged(self, threshold: Decimal = DEFAULT_THRESHOLD) -> bool:
        return abs(self.score) >= threshold


def median(values: Iterable[Decimal]) -> Decimal:
    ordered = sorted(values)
    if not ordered:
        raise ValueError("median of no values")
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def weekday_history(series: dict[date, Decimal], day: date, weeks: int) -> list[Decimal]:
    """The values of the same weekday in the ``weeks`` weeks before ``day`` that exist."""
    back = (day - timedelta(days=7 * k) for k in range(1, weeks + 1))
    return [series[d] for d in back if d in series]


def score_day(series: list[tuple[date, Decimal]], day: date, weeks: int = 8,
              min_points: int = 4) -> AnomalyScore | None:
    """The modified z-score of ``day``; None when the day or enough history is missing."""
    values = dict(series)
    if day not in values:
        return None
    history = weekday_history(values, day, weeks)
    if len(history) < min_points:
        return None
    centre = median(history)
    deviations = [abs(v - centre) for v in history]
    mad = median(deviations)
    value = values[day]
    if mad != 0:
        return AnomalyScore(day, value, tuple(history), centre, mad, "mad",
                            MAD_FACTOR * (value - centre) / mad)
    mean_ad = sum(deviations, Decimal(0)) / len(deviations)
    if mean_ad == 0:
        return None
    return AnomalyScore(day, value, tuple(history), centre, mean_ad, "meanad",
                        (value - centre) / (MEANAD_FACTOR * mean_ad))


def detect(series: list[tuple[date, Decimal]], as_of: date, *, days: int = 7, weeks: int = 8,
           threshold: Decimal = DEFAULT_THRESHOLD, min_points: int = 4) -> list[AnomalyScore]:
    """Flagged days among the last ``days`` days up to ``as_of``, oldest first."""
    found: list[AnomalyScore] = []
    for offset in range(days - 1, -1, -1):
        scored = score_day(series, as_of - timedelta(days=offset), weeks, min_points)
        if scored is not None and scored.flagged(threshold):
            found.append(scored)
    return found
