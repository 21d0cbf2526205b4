"""Is a target within reach of the store's own history? (the linter's PL002, pitfall 2 "保结果")

Two plain questions, asked of every KPI that has both a target and history:

- *far*: is the target more than ``FAR_FACTOR`` (x1.5) beyond the best month of the last 12?
  (best month 245.00: a 1,000.00 target is x4.08 and far; 300.00 is x1.22 and not);
- *unprecedented*: was the target never reached, and does it need a bigger one-month step from
  the latest month than any step the store ever made? (history 200, 245, 230 and target 300:
  300 / 230 = x1.30 while the best step was 245 / 200 = x1.22).

For lower-is-better metrics (ACoS, refund rate) "better" means smaller: both questions are asked
of the reciprocals. Targets are per scoring period; for a quarterly plan an additive metric's
target is divided by 3 to compare it with months. Everything is pure Decimal arithmetic; the
history comes from ``plans.history.monthly`` (the caller's business).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kpiguard.metrics import catalog as catalog_mod
from kpiguard.plans.decomposition import DriverMonth, usable
from kpiguard.plans.history import months_before
from kpiguard.plans.model import Plan

FAR_FACTOR = Decimal("1.5")
LOOKBACK_MONTHS = 12
DECOMPOSITION_METRICS: tuple[str, ...] = ("gmv", "sessions", "orders")


@dataclass(frozen=True)
class Reach:
    """A target against history, in the metric's own units (best/latest) and as factors."""

    months: int  # months of history looked at
    best: Decimal  # the best month (highest, or lowest for lower-is-better)
    latest: Decimal  # the month before the plan (the last month with data)
    beyond_best: Decimal  # how many times better than the best month the target is
    needed_step: Decimal  # improvement the target needs on the latest month
    best_step: Decimal | None  # the largest one-month improvement seen (None: one month only)

    @property
    def far(self) -> bool:
        return self.beyond_best > FAR_FACTOR

    @property
    def unprecedented(self) -> bool:
        return self.best_step is not None and self.beyond_best > 1 and self.needed_step > self.best_step


def additive(metric: str) -> bool:
    """Money, count and day totals add up over months (GMV, units); ratios and averages do not."""
    m = catalog_mod.load().metric(metric)
    return m.unit in ("money", "count", "days") and "/" not in m.formula


def monthly_target(plan: Plan, metric: str, target: Decimal) -> Decimal:
    """A quarterly plan's GMV target of 900 is 300 a month; a quarterly ACoS target stays as it is."""
    if plan.scoring_period == "quarter" and additive(metric):
        return target / 3
    return target


def judge(values: list[Decimal], target: Decimal, direction: str) -> Reach | None:
    """``None`` when nothing can be said: no positive month, or a target of zero or less."""
    recent = values[-LOOKBACK_MONTHS:]
    if target <= 0 or not recent or recent[-1] <= 0:
        return None

    def good(v: Decimal) -> Decimal:
        return v if direction == "higher" else 1 / v

    positive = [v for v in recent if v > 0]
    best = max(positive, key=good)
    steps = [good(b) / good(a) for a, b in zip(recent, recent[1:], strict=False) if a > 0 and b > 0]
    return Reach(len(recent), best, recent[-1], good(target) / good(best), good(target) / good(recent[-1]),
                 max(steps) if steps else None)


def driver_months(history: dict[str, list[Decimal]], before: date) -> list[DriverMonth]:
    """Months with sessions, orders and GMV, for ``decomposition.decompose``.

    The history holds values of months with data only, without their dates; the series are
    aligned on their last month (the month before the plan) and assumed consecutive. A store
    whose traffic report starts later than its orders simply has fewer aligned months.
    """
    series = [history.get(m, [])[-LOOKBACK_MONTHS:] for m in DECOMPOSITION_METRICS]
    count = min(len(s) for s in series)
    if count == 0:
        return []
    gmv, sessions, orders = (s[-count:] for s in series)
    starts = [months_before(before, count - i)[0] for i in range(count)]
    return usable([DriverMonth(*row) for row in zip(starts, sessions, orders, gmv, strict=True)])


def history_metrics(plan: Plan) -> list[str]:
    """The metrics whose history the linter needs: the plan's KPIs (known to the catalog) and,
    for a GMV target, the drivers of its decomposition."""
    known = set(catalog_mod.load().keys())
    wanted = [k.metric for k in plan.kpis if k.metric in known]
    if "gmv" in wanted:
        wanted.extend(DECOMPOSITION_METRICS)
    return list(dict.fromkeys(wanted))
