"""Currency conversion under a definition set's FX policy, exact with Decimal.

``daily``: the rate of the local day, or the latest before it if at most ``max_age_days`` old.
``monthly_average``: the mean of the daily rates dated in the day's calendar month. A rate
from A to B also converts B to A (1/rate). A missing rate is an error naming currency and date:
a number converted at a guessed rate is a number nobody can sign.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from kpiguard.errors import Finding, InputError


class FxConverter:
    def __init__(self, rates: list[tuple[date, str, str, Decimal]], method: str, max_age_days: int) -> None:
        self.method = method
        self.max_age = timedelta(days=max_age_days)
        self._days: dict[tuple[str, str], list[date]] = defaultdict(list)
        self._rates: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
        for day, src, dst, rate in sorted(rates):
            self._days[(src, dst)].append(day)
            self._rates[(src, dst)].append(Decimal(rate))
        self._cache: dict[tuple[str, str, date], Decimal] = {}

    def rate(self, src: str, dst: str, day: date) -> Decimal:
        if src == dst:
            return Decimal(1)
        key = (src, dst, day)
        if key not in self._cache:
            self._cache[key] = self._lookup(src, dst, day)
        return self._cache[key]

    def convert(self, amount: Decimal, src: str, dst: str, day: date) -> Decimal:
        return amount * self.rate(src, dst, day)

    def _lookup(self, src: str, dst: str, day: date) -> Decimal:
        direct = self._find(src, dst, day)
        if direct is not None:
            return direct
        inverse = self._find(dst, src, day)
        if inverse is not None and inverse != 0:
            return Decimal(1) / inverse
        rule = ("a daily rate at most " f"{self.max_age.days} days old" if self.method == "daily"
                else "daily rates in that month")
        raise InputError(f"no exchange rate {src}->{dst} for {day}", [Finding(
            "fx.missing", f"no {src}->{dst} rate for {day} ({rule})", column="fx_rates",
            value=f"{src} {day}",
            hint="import FX rates covering the period (kpiguard import rates.csv), or pick the definition set's rate table")])

    def _find(self, src: str, dst: str, day: date) -> Decimal | None:
        days, rates = self._days.get((src, dst)), self._rates.get((src, dst))
        if not days or not rates:
            return None
        if self.method == "monthly_average":
            first = day.replace(day=1)
            lo = bisect.bisect_left(days, first)
            hi = bisect.bisect_left(days, _next_month(first))
            chosen = rates[lo:hi]
            return sum(chosen, Decimal(0)) / len(chosen) if chosen else None
        i = bisect.bisect_right(days, day) - 1
        if i < 0 or day - days[i] > self.max_age:
            return None
        return rates[i]


def _next_month(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)
