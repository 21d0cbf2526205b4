"""``pace(ws, plan_id, as_of)``: a plan's scoring period as of one day (进度追踪).

The period paced is the plan's scoring period (month or quarter) that holds ``as_of``, clipped to
the plan's start and end. Actuals to date come from the metric engine under the plan's stores,
currency and definition set, exactly as a scorecard would compute them; forecasts come from the
same measures day by day (``daily.py``), each store on its own shape (``shape.py``), with an
interval from the store's own past forecast errors (``forecast.py``). The version paced is the
binding one (the latest signed, active or closed version), else the latest draft.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from kpiguard.errors import Finding, InputError
from kpiguard.metrics import catalog as catalog_mod
from kpiguard.metrics.engine import Query, run
from kpiguard.metrics.tables import LakeReader
from kpiguard.pacing import daily, kpis
from kpiguard.pacing.forecast import Outlook, from_daily
from kpiguard.pacing.model import KpiPace, PaceReport
from kpiguard.periods import bucket_end, bucket_start
from kpiguard.plans import store
from kpiguard.plans.model import Kpi, Plan
from kpiguard.workspace import Workspace

HISTORY_DAYS = 800  # last year's shape for a quarter, plus 20 weekly replays before it
TRAILING_DAYS = 84  # report.daily: 12 weeks for the anomaly rule (it needs at least 8)
TRAILING_METRICS = ("gmv", "orders")
BINDING = ("signed", "active", "closed")


def binding(ws: Workspace, plan_id: str) -> store.StoredPlan:
    versions = store.versions(ws, plan_id)
    signed = [v for v in versions if v.status in BINDING]
    return signed[-1] if signed else versions[-1]


def scoring_period(plan: Plan, as_of: date) -> tuple[date, date]:
    if not plan.period.start <= as_of <= plan.period.end:
        raise InputError(f"{as_of} is outside plan {plan.plan_id} / 日期不在方案期间内", [Finding(
            "pace.as_of", f"the plan runs from {plan.period.start} to {plan.period.end}; {as_of} is outside it",
            column="--as-of", value=str(as_of), hint=f"give a day from {plan.period.start} to {plan.period.end}")])
    start = bucket_start(as_of, plan.scoring_period, plan.period.start)
    return start, bucket_end(start, plan.scoring_period, plan.period.end)


def pace(ws: Workspace, plan_id: str, as_of: date) -> PaceReport:
    sp = binding(ws, plan_id)
    plan = sp.plan
    start, end = scoring_period(plan, as_of)
    cat = catalog_mod.load()
    names = [k.metric for k in plan.kpis] + [g.metric for g in plan.guardrails]
    metrics = tuple(dict.fromkeys(m for m in names if m in set(cat.keys())))
    reader = LakeReader(ws)  # one reader: the three queries share its materialised tables
    actual = _actuals(ws, plan, metrics, start, as_of, reader)
    outlook = _outlook(ws, plan, tuple(m for m in metrics if daily.pacable(m)), as_of, start, end, reader)
    cur = plan.currency
    report_kpis = [
        kpis.kpi_pace(cat.metric(k.metric), kpis.Bounds(k.floor, k.target, k.stretch), k.owner,
                      actual.get(k.metric), outlook, cur) if k.metric in metrics else _unknown(k)
        for k in plan.kpis]
    guardrails = [kpis.guardrail_pace(cat.metric(g.metric), g.limit, g.consequence, g.owner, actual.get(g.metric),
                                      outlook, cur) for g in plan.guardrails if g.metric in metrics]
    trailing = _trailing(ws, plan, as_of, reader)
    return PaceReport(
        plan_id=plan.plan_id, version=sp.version, as_of=as_of, period_start=start, period_end=end, currency=cur,
        stores=tuple(plan.stores), kpis=report_kpis, guardrails=guardrails, daily=trailing,
        plan_status=sp.status, definition_set=plan.definition_set, days_elapsed=(as_of - start).days + 1,
        days_total=(end - start).days + 1, data_through=_data_through(plan, trailing))


def _actuals(ws: Workspace, plan: Plan, metrics: tuple[str, ...], start: date, as_of: date,
             reader: LakeReader) -> dict[str, Decimal | None]:
    if not metrics:
        return {}
    [row] = run(ws, Query(metrics, start, as_of, tuple(plan.stores), (), plan.currency, plan.definition_set, as_of),
                reader)
    return {m: None if row.get(m) is None else Decimal(row[m]) for m in metrics}


def _outlook(ws: Workspace, plan: Plan, metrics: tuple[str, ...], as_of: date, start: date, end: date,
             reader: LakeReader) -> Outlook | None:
    if not metrics:
        return None
    data = daily.load(ws, tuple(plan.stores), metrics, as_of - timedelta(days=HISTORY_DAYS), as_of, plan.currency,
                      plan.definition_set, reader)
    measures = set().union(*(daily.metric_measures(m) for m in metrics))
    return from_daily(data, plan.stores, measures, as_of, start, end)


def _trailing(ws: Workspace, plan: Plan, as_of: date,
              reader: LakeReader) -> dict[tuple[str, str], list[tuple[date, Decimal]]]:
    rows = run(ws, Query(TRAILING_METRICS, as_of - timedelta(days=TRAILING_DAYS - 1), as_of, tuple(plan.stores),
                         ("store", "day"), plan.currency, plan.definition_set, as_of), reader)
    out: dict[tuple[str, str], list[tuple[date, Decimal]]] = {}
    for row in sorted(rows, key=lambda r: (r["store"], r["period_start"])):
        for m in TRAILING_METRICS:
            if row.get(m) is not None:
                out.setdefault((row["store"], m), []).append((date.fromisoformat(row["period_start"]), Decimal(row[m])))
    return out


def _data_through(plan: Plan, trailing: dict[tuple[str, str], list[tuple[date, Decimal]]]) -> dict[str, date | None]:
    """Per store, the last day with orders in the trailing weeks: days after it may be missing data."""
    return {s: max((d for d, v in trailing.get((s, "orders"), []) if v > 0), default=None) for s in plan.stores}


def _unknown(k: Kpi) -> KpiPace:
    """A KPI naming no catalog metric (a draft; the linter says so): shown, never computed."""
    return KpiPace(metric=k.metric, unit="", direction="higher", owner=k.owner, actual_to_date=None,
                   expected_to_date=None, forecast=None, forecast_low=None, forecast_high=None, floor=k.floor,
                   target=k.target, stretch=k.stretch, p_floor=None, p_target=None, weekly_needed=None,
                   status="unknown", method="unknown_metric")
