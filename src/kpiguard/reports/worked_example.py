"""The arithmetic of the contract's scoring rule, for the worked example printed in it.

A contract that says "points rise in a straight line from the minimum to the target" is read
differently by each party until they see numbers; the export therefore computes one complete
example from the plan's own figures (a KPI halfway between minimum and target, the total, a
guardrail breach, the fee and the bonus). Pure functions on Decimals: no workspace, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from kpiguard.plans.model import FeeStep, Guardrail, Incentives, Kpi, Plan, ScoringCurve

HUNDRED = Decimal(100)


def _line(x: Decimal, x0: Decimal, x1: Decimal, y0: Decimal, y1: Decimal) -> Decimal:
    return y0 + (x - x0) / (x1 - x0) * (y1 - y0)


def curve_points(actual: Decimal, floor: Decimal, target: Decimal, stretch: Decimal | None,
                 curve: ScoringCurve, direction: str = "higher") -> Decimal:
    """Points of one KPI on the piecewise-linear curve floor -> target -> stretch, capped.

    For "lower is better" the values are negated, so the same comparisons hold (an ACoS of 0.25
    against a floor of 0.30 is -0.25 >= -0.30).
    """
    sign = Decimal(-1) if direction == "lower" else Decimal(1)
    a, f, tg = actual * sign, floor * sign, target * sign
    if a < f:
        points = curve.below_floor
    elif a <= tg:
        points = curve.at_target if tg == f else _line(a, f, tg, curve.at_floor, curve.at_target)
    elif stretch is None:
        points = curve.at_target
    elif a < stretch * sign:
        points = _line(a, tg, stretch * sign, curve.at_target, curve.at_stretch)
    else:
        points = curve.at_stretch
    return min(points, curve.cap)


def fee_reduction_pct(total: Decimal, steps: list[FeeStep]) -> Decimal:
    """The largest reduction among the steps whose threshold the total is below (0 if none)."""
    return max((s.fee_reduction_pct for s in steps if total < s.below_score), default=Decimal(0))


def bonus_pct(total: Decimal, incentives: Incentives) -> Decimal:
    """The share of the bonus pool of the highest tier reached (0 below the lowest tier)."""
    return max((tier.bonus_pct for tier in incentives.tiers if total >= tier.min_score), default=Decimal(0))


def after_breach(total: Decimal, guardrail: Guardrail) -> Decimal:
    """The total once ``guardrail`` is breached: capped, reduced by a penalty, or unchanged (void_bonus)."""
    if guardrail.consequence == "cap_total" and guardrail.cap_points is not None:
        return min(total, guardrail.cap_points)
    if guardrail.consequence == "penalty" and guardrail.penalty_points is not None:
        return max(total - guardrail.penalty_points, Decimal(0))
    return total


@dataclass(frozen=True)
class Example:
    metric: str
    direction: str
    floor: Decimal
    target: Decimal
    hypothetical: bool  # no KPI had both a floor and a target: 80 and 100 were used
    actual: Decimal
    points: Decimal
    weight: Decimal
    weighted: Decimal
    others_weight: Decimal
    total: Decimal
    fee_pct: Decimal
    bonus_pct: Decimal
    guardrail: Guardrail | None
    breached_total: Decimal | None
    breached_fee_pct: Decimal | None
    breached_bonus_pct: Decimal | None


def _example_kpi(plan: Plan) -> tuple[int, Kpi, bool]:
    """The first KPI with a usable minimum and target, else the first KPI with 80 and 100 assumed."""
    for i, kpi in enumerate(plan.kpis):
        if kpi.floor is not None and kpi.target is not None and kpi.floor != kpi.target:
            return i, kpi, False
    first = plan.kpis[0] if plan.kpis else Kpi(metric="gmv", weight=HUNDRED)
    return 0, first.model_copy(update={"floor": Decimal(80), "target": Decimal(100), "stretch": None}), True


def worked_example(plan: Plan, direction_of: Mapping[str, str]) -> Example:
    """The example the contract prints: one KPI halfway from minimum to target, the rest at target.

    ``direction_of`` maps metric keys to "higher"/"lower" (from the catalog), kept as a parameter
    so this module stays free of the catalog and of I/O.
    """
    index, kpi, hypothetical = _example_kpi(plan)
    assert kpi.floor is not None and kpi.target is not None
    # the assumed 80 -> 100 only reads as "higher is better"
    direction = "higher" if hypothetical else direction_of.get(kpi.metric, "higher")
    actual = (kpi.floor + kpi.target) / 2
    points = curve_points(actual, kpi.floor, kpi.target, kpi.stretch, plan.scoring_curve, direction)
    weighted = kpi.weight * points / HUNDRED
    others = sum((k.weight for i, k in enumerate(plan.kpis) if i != index), Decimal(0))
    total = weighted + others * plan.scoring_curve.at_target / HUNDRED
    guardrail = plan.guardrails[0] if plan.guardrails else None
    breached = after_breach(total, guardrail) if guardrail else None
    voided = guardrail is not None and guardrail.consequence == "void_bonus"
    return Example(
        kpi.metric, direction, kpi.floor, kpi.target, hypothetical, actual, points, kpi.weight, weighted, others,
        total, fee_reduction_pct(total, plan.consequences), bonus_pct(total, plan.incentives), guardrail, breached,
        fee_reduction_pct(breached, plan.consequences) if breached is not None else None,
        (Decimal(0) if voided else bonus_pct(breached, plan.incentives)) if breached is not None else None,
    )
