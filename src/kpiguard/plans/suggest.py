"""Suggested targets (建议目标值) from a store's own history, never from a guess.

For each KPI whose target is left empty, with the store's last months (``HISTORY_MONTHS``):

- target  = median, moved by the stage's step in the metric's better direction
            (median + |median| x step when higher is better, median - |median| x step when lower);
- floor   = the 25th percentile (the 75th when lower is better): a month the store already had;
- stretch = the 90th percentile (10th when lower is better) moved by the step, and at least one
            step beyond the target.

New stores get the largest step (they grow from a small base), mature stores the smallest;
rates and averages (ratios, AOV, LTV, ratings) move by a smaller step than totals (GMV, units). Each such KPI is
marked ``suggested: true`` until the parties confirm it. Without history (or with a median of
zero) the target stays empty and a note says so: the plan cannot be signed until someone fills it.
The commission threshold becomes the store's median monthly net sales (commission on growth).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from kpiguard.errors import UserError
from kpiguard.metrics import catalog as catalog_mod
from kpiguard.metrics.engine import Query, run
from kpiguard.periods import month_end
from kpiguard.plans import history
from kpiguard.plans.decomposition import (
    Decomposition,
    DriverMonth,
    decompose,
    period_months,
    usable,
)
from kpiguard.plans.feasibility import LOOKBACK_MONTHS, additive, history_metrics
from kpiguard.plans.model import Incentives, Kpi, Plan
from kpiguard.workspace import Workspace

HISTORY_MONTHS = 6
STEP_ADDITIVE = {"new": Decimal("0.30"), "growth": Decimal("0.15"), "mature": Decimal("0.05")}
STEP_RATE = {"new": Decimal("0.10"), "growth": Decimal("0.05"), "mature": Decimal("0.03")}
# a star rating moves slowly: 4.40 -> 4.49 is already a good month's work
STEP_RATING = {"new": Decimal("0.02"), "growth": Decimal("0.01"), "mature": Decimal("0.01")}
PLACES = {"money": Decimal("0.01"), "count": Decimal(1), "ratio": Decimal("0.0001"),
          "days": Decimal("0.1"), "rating": Decimal("0.01")}
# shares cannot pass 100%; ROAS and ACoS are ratios too but are not bounded by 1
BOUNDED_SHARES = frozenset({"cvr", "sell_through_rate", "organic_sales_share", "gross_margin_rate",
                            "net_margin_rate", "repeat_purchase_rate", "in_stock_rate", "unit_session_pct"})
COMMISSION_BASES = {"net_sales": "net_sales", "gmv": "gmv", "net_profit": "net_profit", "gross_profit": "gross_profit"}


@dataclass(frozen=True)
class SuggestionNote:
    """What was suggested for one KPI, or why nothing was (both languages)."""

    metric: str
    suggested: bool
    en: str
    zh: str


@dataclass(frozen=True)
class Suggestion:
    plan: Plan
    notes: list[SuggestionNote]


def percentile(values: list[Decimal], q: Decimal) -> Decimal:
    """Linear interpolation between closest ranks (numpy's default), in Decimal."""
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _round(value: Decimal, unit: str) -> Decimal:
    return value.quantize(PLACES[unit], rounding=ROUND_HALF_UP)


def _bounds(key: str, unit: str, value: Decimal) -> Decimal:
    if key in BOUNDED_SHARES:
        return min(value, Decimal(1))
    if unit == "rating":
        return min(value, Decimal(5))
    return value


def _values_for_period(values: list[Decimal], is_additive: bool, scoring_period: str) -> list[Decimal]:
    """The last months in the plan's scoring period: GMV and units add up over a quarter, AOV does
    not. Zero months before the first non-zero one are left out: the metric layer reports a total
    of 0 for a month before the store's first import, which is no data rather than no sales."""
    start = next((i for i, v in enumerate(values) if v != 0), len(values))
    factor = 3 if scoring_period == "quarter" and is_additive else 1
    return [v * factor for v in values[start:][-HISTORY_MONTHS:]]


def suggest_kpi(kpi: Kpi, metric: catalog_mod.Metric, values: list[Decimal], stage: str,
                scoring_period: str = "month") -> tuple[Kpi, SuggestionNote]:
    """One KPI's target, floor and stretch from its monthly history (see the module docstring)."""
    name = metric.name
    is_additive = additive(metric.key)
    vals = _values_for_period(values, is_additive, scoring_period)
    if not vals:
        return kpi, SuggestionNote(kpi.metric, False, f"{kpi.metric}: no history for {name.en}; set the target by hand",
                                   f"{kpi.metric}：{name.zh}无历史数据，请手工填写目标值")
    median = percentile(vals, Decimal("0.5"))
    steps = STEP_ADDITIVE if is_additive else STEP_RATING if metric.unit == "rating" else STEP_RATE
    step = abs(median) * steps[stage]
    sign = 1 if metric.direction == "higher" else -1
    floor = percentile(vals, Decimal("0.25") if sign > 0 else Decimal("0.75"))
    target = _bounds(metric.key, metric.unit, median + sign * step)
    far = percentile(vals, Decimal("0.9") if sign > 0 else Decimal("0.1")) + sign * step
    beyond = target + sign * step  # with one or two months, the 90th percentile is barely above the median
    stretch = _bounds(metric.key, metric.unit, far if sign * far > sign * beyond else beyond)
    floor, target, stretch = (_round(v, metric.unit) for v in (floor, target, stretch))
    if not (sign * floor < sign * target < sign * stretch):
        return kpi, SuggestionNote(kpi.metric, False, f"{kpi.metric}: history ({len(vals)} months, median {median}) "
                                   "leaves no room between floor, target and stretch; set them by hand",
                                   f"{kpi.metric}：历史数据（{len(vals)}个月，中位数{median}）无法区分底线、目标与挑战值，请手工填写")
    filled = kpi.model_copy(update={"target": target, "floor": floor, "stretch": stretch, "suggested": True})
    return filled, SuggestionNote(
        kpi.metric, True,
        f"{kpi.metric}: target {target} = median {_round(median, metric.unit)} of {len(vals)} month(s) "
        f"{'+' if sign > 0 else '-'} {_round(step, metric.unit)} ({stage} stage); floor {floor}; stretch {stretch}",
        f"{kpi.metric}：目标{target} = 近{len(vals)}个月中位数{_round(median, metric.unit)} "
        f"{'+' if sign > 0 else '-'} {_round(step, metric.unit)}（{stage}阶段）；底线{floor}；挑战{stretch}")


def fill(plan: Plan, hist: dict[str, list[Decimal]], cat: catalog_mod.Catalog | None = None) -> Suggestion:
    """Every empty KPI target filled from ``hist`` (metric -> monthly values, oldest first)."""
    cat = cat or catalog_mod.load()
    known = set(cat.keys())
    kpis: list[Kpi] = []
    notes: list[SuggestionNote] = []
    for kpi in plan.kpis:
        if kpi.target is not None or kpi.metric not in known:
            kpis.append(kpi)  # set by the template or by hand (e.g. a quality audit score)
            continue
        filled, note = suggest_kpi(kpi, cat.metric(kpi.metric), hist.get(kpi.metric, []), plan.stage,
                                   plan.scoring_period)
        kpis.append(filled)
        notes.append(note)
    incentives, threshold_note = _commission_threshold(plan, hist)
    if threshold_note:
        notes.append(threshold_note)
    return Suggestion(plan.model_copy(update={"kpis": kpis, "incentives": incentives}), notes)


def _commission_threshold(plan: Plan, hist: dict[str, list[Decimal]]) -> tuple[Incentives, SuggestionNote | None]:
    """Commission is paid on sales above what the store already did: its median month."""
    commission = plan.incentives.commission
    if commission is None or commission.threshold:
        return plan.incentives, None
    base = COMMISSION_BASES[commission.base]
    values = _values_for_period(hist.get(base, []), True, plan.scoring_period)
    if not values:
        return plan.incentives, SuggestionNote(base, False, f"commission threshold: no {base} history; it stays 0 "
                                               "(commission on all sales) until you set it",
                                               f"提成门槛：无{base}历史数据，暂为0（全部销售额计提成），请手工设定")
    threshold = _round(percentile(values, Decimal("0.5")), "money")
    updated = plan.incentives.model_copy(update={"commission": commission.model_copy(update={"threshold": threshold})})
    return updated, SuggestionNote(base, True, f"commission threshold {threshold} = median monthly {base} "
                                   f"of {len(values)} month(s)", f"提成门槛{threshold} = 近{len(values)}个月{base}中位数")


def plan_history_metrics(plan: Plan) -> list[str]:
    """What a draft needs: the KPIs and guardrails, the GMV drivers and the commission base."""
    metrics = [k.metric for k in plan.kpis] + [g.metric for g in plan.guardrails] + history_metrics(plan)
    if plan.incentives.commission is not None:
        metrics.append(COMMISSION_BASES[plan.incentives.commission.base])
    known = set(catalog_mod.load().keys())
    return [m for m in dict.fromkeys(metrics) if m in known]


def plan_history(ws: Workspace, plan: Plan, months: int = LOOKBACK_MONTHS) -> dict[str, list[Decimal]]:
    """The monthly history of every metric the plan names, before it starts, in its currency."""
    return history.monthly(ws, plan_history_metrics(plan), plan.stores, plan.currency, plan.definition_set,
                           plan.period.start, months)


def driver_months(ws: Workspace, stores: list[str], currency: str, definition_set: str, before: date,
                  months: int = 12) -> list[DriverMonth]:
    """Sessions, orders and GMV month by month, aligned (a month lacking any of them is left out)."""
    start, end = history.months_before(before, months)
    try:
        rows = run(ws, Query(("sessions", "orders", "gmv"), start, month_end(end), tuple(stores), ("month",),
                             currency, definition_set))
    except UserError:
        return []
    out = []
    for row in sorted(rows, key=lambda r: r["period_start"]):
        if all(row.get(k) is not None for k in ("sessions", "orders", "gmv")):
            out.append(DriverMonth(date.fromisoformat(str(row["period_start"])), Decimal(row["sessions"]),
                                   Decimal(row["orders"]), Decimal(row["gmv"])))
    return out


TEMPLATE_CURRENCY = "USD"  # the fees written in the shipped templates


def _restate_fees(plan: Plan) -> tuple[Plan, SuggestionNote | None]:
    """Template fees are USD figures; in another currency they are cleared rather than silently
    reused (3000 JPY is not 3000 USD), and the parties are told to write their own."""
    if plan.currency == TEMPLATE_CURRENCY or not (plan.incentives.base_fee or plan.incentives.bonus_pool):
        return plan, None
    incentives = plan.incentives.model_copy(update={"base_fee": Decimal(0), "bonus_pool": Decimal(0)})
    return plan.model_copy(update={"incentives": incentives}), SuggestionNote(
        "incentives", False, f"base fee and bonus pool: the template's figures are {TEMPLATE_CURRENCY}; "
        f"write the agreed amounts in {plan.currency}",
        f"服务费与奖金池：模板金额为{TEMPLATE_CURRENCY}，请按{plan.currency}填写约定金额")


def draft(ws: Workspace, plan: Plan) -> Suggestion:
    """A template made into a plan, with targets and the commission threshold from history."""
    plan, fee_note = _restate_fees(plan)
    suggestion = fill(plan, plan_history(ws, plan))
    return Suggestion(suggestion.plan, suggestion.notes + ([fee_note] if fee_note else []))


def decompose_for(ws: Workspace, stores: list[str], target: Decimal, start: date, end: date, currency: str,
                  definition_set: str = "standard@1") -> Decomposition | None:
    """The GMV decomposition of a period's target, per month, against the stores' last 12 months;
    None when there is no month with sessions and orders before ``start``."""
    months = usable(driver_months(ws, stores, currency, definition_set, start))
    if not months:
        return None
    return decompose(target / period_months(start, end), months)
