"""One KPI or guardrail of a plan, judged from an outlook: expected to date, forecast, interval,
likelihoods, what each remaining week must bring, and a status.

How each kind of metric is paced (the metric catalog's formula decides):

- **additive** (no division: GMV, orders, units, sessions, ad spend, net sales ...): expected to
  date = target x the share of the period's expected volume up to as_of (the store's shape); the
  weekly number needed = (target - actual to date) / remaining weeks (0 once reached);
- **ratio** (``numerator / denominator``: ACoS = ad spend / ad sales, CVR, refund rate ...): the
  rate is not spread over days, so expected to date = the target itself; the number needed is the
  rate the rest of the period must run at, ``(target x (D_to_date + D_rest) - N_to_date) / D_rest``
  with the remainder's denominator as forecast. It may lie outside what is possible (a negative
  ACoS, a conversion above 100%): then the target can no longer be reached;
- **formula** (anything else made of day-additive measures, e.g. 1 - a/b): forecast only;
- **not_paced** (distinct buyers, ratings, review gains: values of a period that do not add up by
  day): the actual to date only.

Lower-is-better metrics (catalog ``direction: lower``) mirror every comparison: reaching the floor
means ending at or below it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from decimal import Decimal
from statistics import NormalDist

from kpiguard.metrics.catalog import Metric
from kpiguard.metrics.engine import render
from kpiguard.pacing.daily import pacable
from kpiguard.pacing.forecast import Z80, Outlook
from kpiguard.pacing.model import Direction, GuardrailPace, KpiPace, PaceStatus

PROBABILITY_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Bounds:
    floor: Decimal | None
    target: Decimal | None
    stretch: Decimal | None


@dataclass(frozen=True)
class Forecast:
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    sigma: float | None  # None: no interval can be given; 0: the period is complete


def method(metric: Metric) -> str:
    if not pacable(metric.key):
        return "not_paced"
    body = ast.parse(metric.formula, mode="eval").body
    if isinstance(body, ast.BinOp) and isinstance(body.op, ast.Div):
        return "ratio"
    return "formula" if any(isinstance(n, ast.Div) for n in ast.walk(body)) else "additive"


def split_ratio(expr: str) -> tuple[str, str]:
    body = ast.parse(expr, mode="eval").body
    assert isinstance(body, ast.BinOp) and isinstance(body.op, ast.Div)
    return ast.unparse(body.left), ast.unparse(body.right)


def _dec(value: float | Decimal | None, unit: str, currency: str) -> Decimal | None:
    if value is None:
        return None
    text = render(value if isinstance(value, Decimal) else Decimal(repr(value)), unit, currency)
    return None if text is None else Decimal(text)


def forecast(metric: Metric, actual: Decimal | None, outlook: Outlook | None, currency: str) -> Forecast:
    if outlook is None or method(metric) == "not_paced":
        return Forecast(None, None, None, None)
    if outlook.spread.method == "complete":  # the period is over: the forecast is the actual
        return Forecast(actual, actual, actual, 0.0 if actual is not None else None)
    centre, sigma = outlook.forecast(metric.formula), outlook.sigma(metric.formula)
    if centre is None:
        return Forecast(None, None, None, None)
    value = _dec(centre, metric.unit, currency)
    if sigma is None:
        return Forecast(value, None, None, None)
    return Forecast(value, _dec(centre - Z80 * sigma, metric.unit, currency),
                    _dec(centre + Z80 * sigma, metric.unit, currency), sigma)


def better_or_equal(value: Decimal, bound: Decimal, direction: Direction) -> bool:
    return value >= bound if direction == "higher" else value <= bound


def likelihood(f: Forecast, bound: Decimal | None, direction: Direction) -> Decimal | None:
    """P(the period ends at or better than ``bound``), the final figure normal around the forecast."""
    if bound is None or f.value is None or f.sigma is None:
        return None
    if f.sigma == 0:
        return (Decimal(1) if better_or_equal(f.value, bound, direction) else Decimal(0)).quantize(PROBABILITY_PLACES)
    below = NormalDist(float(f.value), f.sigma).cdf(float(bound))
    p = 1 - below if direction == "higher" else below
    return Decimal(repr(p)).quantize(PROBABILITY_PLACES)


def status(f: Forecast, b: Bounds, p_floor: Decimal | None, p_target: Decimal | None,
           direction: Direction) -> PaceStatus:
    """ahead: P(target) >= 90%; on_track: >= 50%; behind: the floor is likely (or none is set);
    at_risk: the floor is unlikely. Without an interval the forecast itself decides (as 0 or 1)."""
    value = f.value
    if b.target is None or value is None:
        return "unknown"

    def step(bound: Decimal) -> Decimal:
        return Decimal(1) if better_or_equal(value, bound, direction) else Decimal(0)

    pt = p_target if p_target is not None else step(b.target)
    if pt >= Decimal("0.9"):
        return "ahead"
    if pt >= Decimal("0.5"):
        return "on_track"
    if b.floor is None:
        return "behind"
    pf = p_floor if p_floor is not None else step(b.floor)
    return "behind" if pf >= Decimal("0.5") else "at_risk"


def expected(metric: Metric, kind: str, b: Bounds, outlook: Outlook | None,
             currency: str) -> tuple[Decimal | None, Decimal | None]:
    """(expected to date, expected share): additive targets by the shape's share; rates as set."""
    if b.target is None or kind == "not_paced":
        return None, None
    if kind != "additive":
        return b.target, None
    if outlook is None:
        return None, None
    done = outlook.value(metric.formula, outlook.expected_to_date)
    whole = outlook.value(metric.formula, outlook.expected_period)
    if done is None or not whole:
        return None, None
    share = Decimal(repr(done / whole)).quantize(PROBABILITY_PLACES)
    return _dec(b.target * Decimal(repr(done / whole)), metric.unit, currency), share


def needed(metric: Metric, kind: str, b: Bounds, actual: Decimal | None, outlook: Outlook | None,
           currency: str) -> Decimal | None:
    """Per remaining week (additive) or the rate the rest must run at (ratio); None when over."""
    if b.target is None or outlook is None or outlook.remaining_days == 0:
        return None
    if kind == "additive":
        if actual is None:
            return None
        # higher: what is still missing; lower (a budget): what may still be spent; never below 0
        gap = max(b.target - actual, Decimal(0))
        return _dec(gap * 7 / outlook.remaining_days, metric.unit, currency)
    if kind != "ratio" or outlook.missing & metric.measures():
        return None
    num, den = split_ratio(metric.formula)
    done = {m: float(v) for m, v in outlook.actual.items()}
    n_done, d_done = outlook.value(num, done), outlook.value(den, done)
    d_rest = outlook.value(den, outlook.remainder)
    if n_done is None or d_done is None or d_rest is None or d_rest <= 0:
        return None
    rate = (float(b.target) * (d_done + d_rest) - n_done) / d_rest
    if metric.direction == "higher":
        rate = max(rate, 0.0)  # 0: the target is secured whatever the rest brings
    return _dec(rate, metric.unit, currency)


def note(metric: Metric, outlook: Outlook | None) -> str:
    """Why the forecast is missing, in both languages ("" when there is one)."""
    if method(metric) == "not_paced":
        return ("a distinct count or snapshot value: it does not add up by day, so it is not forecast / "
                "去重计数或快照值，不能按天累加，不做预测")
    if outlook is None:
        return "no data / 没有数据"
    names = metric.measures()
    if absent := sorted(outlook.absent & names):
        return f"no data for {', '.join(absent)} / 没有 {', '.join(absent)} 的数据"
    if coarse := sorted(outlook.coarse & names):
        return (f"{', '.join(coarse)}: reported in period rows (e.g. a monthly report), not by day: no forecast / "
                f"{', '.join(coarse)} 按期间（如月报）而非按天导入，无法预测")
    if missing := sorted(outlook.missing & names):
        return (f"too little history for {', '.join(missing)} (at least 7 days) / "
                f"{', '.join(missing)} 历史数据不足（至少需要7天）")
    return ""


def kpi_pace(metric: Metric, b: Bounds, owner: str | None, actual: Decimal | None, outlook: Outlook | None,
             currency: str) -> KpiPace:
    kind = method(metric)
    f = forecast(metric, actual, outlook, currency)
    p_floor, p_target = likelihood(f, b.floor, metric.direction), likelihood(f, b.target, metric.direction)
    to_date, share = expected(metric, kind, b, outlook, currency)
    return KpiPace(
        metric=metric.key, unit=metric.unit, direction=metric.direction, owner=owner, actual_to_date=actual,
        expected_to_date=to_date, forecast=f.value, forecast_low=f.low, forecast_high=f.high,
        floor=b.floor, target=b.target, stretch=b.stretch, p_floor=p_floor, p_target=p_target,
        weekly_needed=needed(metric, kind, b, actual, outlook, currency),
        status=status(f, b, p_floor, p_target, metric.direction), expected_share=share, method=kind,
        interval_method=_interval(f, outlook), shape=outlook.shape_of(metric.formula) if f.value is not None and outlook else "",
        note=note(metric, outlook))


def guardrail_pace(metric: Metric, limit: Decimal | None, consequence: str, owner: str | None,
                   actual: Decimal | None, outlook: Outlook | None, currency: str) -> GuardrailPace:
    f = forecast(metric, actual, outlook, currency)
    within = likelihood(f, limit, metric.direction)
    return GuardrailPace(
        metric=metric.key, unit=metric.unit, direction=metric.direction, limit=limit, actual_to_date=actual,
        forecast=f.value, p_breach=None if within is None else 1 - within, forecast_low=f.low,
        forecast_high=f.high, consequence=consequence, owner=owner,
        interval_method=_interval(f, outlook), note=note(metric, outlook))


def _interval(f: Forecast, outlook: Outlook | None) -> str:
    return outlook.spread.method if outlook is not None and f.value is not None else ""
