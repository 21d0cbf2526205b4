"""The decomposition page's data: what the plan's GMV target asks of sessions, conversion and AOV.

The target is the plan's GMV KPI (per scoring period) over the whole plan period, or the amount the
reader types in to try another promise; ``plans.suggest.decompose_for`` does the arithmetic
against the stores' last 12 months, ``plans.decomposition.to_dict`` rounds it for people.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import Request

from kpiguard.errors import Finding, InputError
from kpiguard.plans import decomposition, suggest
from kpiguard.plans.store import StoredPlan
from kpiguard.web.access import cache, workspace


def plan_target(sp: StoredPlan, months: int) -> Decimal | None:
    """The GMV target of the whole period: the per-scoring-period target times the periods in it."""
    kpi = next((k for k in sp.plan.kpis if k.metric == "gmv" and k.target is not None), None)
    if kpi is None or kpi.target is None:
        return None
    per = 3 if sp.plan.scoring_period == "quarter" else 1
    return kpi.target * Decimal(months) / Decimal(per)


def view(request: Request, sp: StoredPlan, target: Decimal | None) -> dict[str, Any]:
    """The decomposition of ``target`` (default: the plan's own) for the plan's stores and period."""
    p = sp.plan
    try:
        months = decomposition.period_months(p.period.start, p.period.end)
    except ValueError as exc:
        raise InputError(f"plan {sp.plan_id} does not run whole months / 方案周期不是整月", [Finding(
            "decompose.period", str(exc), column="period", hint="decomposition needs whole calendar months")]) from exc
    amount = target if target is not None else plan_target(sp, months)
    if amount is None:
        raise InputError("the plan has no GMV target to decompose / 方案没有GMV目标", [Finding(
            "decompose.target", "no gmv KPI with a target", column="target", hint="give ?target=AMOUNT for the period")])
    ws = workspace(request)
    key = ("decompose", tuple(p.stores), str(amount), p.period.start, p.period.end, p.currency, p.definition_set,
           ws.generation())
    result = cache(request).get(key, lambda: suggest.decompose_for(ws, list(p.stores), amount, p.period.start,
                                                                   p.period.end, p.currency, p.definition_set))
    if result is None:
        raise InputError("no history to decompose against / 没有可拆解的历史数据", [Finding(
            "decompose.history", f"no month before {p.period.start} has sessions and orders for "
            f"{', '.join(p.stores)}", column="stores", hint="import the traffic and order reports of the last months")])
    return {"plan_id": sp.plan_id, "version": sp.version, "currency": p.currency, "months": months,
            "target": str(amount), "plan_target": target is None, **decomposition.to_dict(result)}
