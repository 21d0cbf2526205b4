"""Points on a plan's scoring curve (评分曲线), and attainment (达成率).

The default curve, per plan configurable: below the floor 0; from floor to target linear 60 to
100; from target to stretch linear 100 to 120; at or beyond stretch 120; never above the cap. A
lower-is-better metric (ACoS, refund rate) is the mirror image: its floor is the highest value
still scored and its stretch the lowest. Without a floor, anything short of the target scores the
below-floor points; without a stretch, beating the target earns nothing extra. Points are rounded
to 0.01 (half up) because the weighted total is computed from the points the scorecard shows.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from kpiguard.plans.model import ScoringCurve

POINT_PLACES = Decimal("0.01")
ATTAINMENT_PLACES = Decimal("0.0001")


def points(actual: Decimal | None, floor: Decimal | None, target: Decimal | None, stretch: Decimal | None,
           direction: str, curve: ScoringCurve) -> Decimal | None:
    """Points for ``actual``; None when the actual or the target is unknown."""
    if actual is None or target is None:
        return None
    sign = Decimal(1) if direction == "higher" else Decimal(-1)
    a, t = sign * actual, sign * target
    f = sign * floor if floor is not None else t
    s = sign * stretch if stretch is not None else None
    if a < f:
        raw = curve.below_floor
    elif a < t:
        raw = curve.at_floor + (a - f) / (t - f) * (curve.at_target - curve.at_floor)
    elif s is None or s <= t:
        raw = curve.at_target
    elif a < s:
        raw = curve.at_target + (a - t) / (s - t) * (curve.at_stretch - curve.at_target)
    else:
        raw = curve.at_stretch
    return min(raw, curve.cap).quantize(POINT_PLACES, rounding=ROUND_HALF_UP)


def attainment(actual: Decimal | None, target: Decimal | None, direction: str) -> Decimal | None:
    """actual / target (target / actual when lower is better); None when it cannot be formed."""
    if actual is None or target is None:
        return None
    num, den = (actual, target) if direction == "higher" else (target, actual)
    if den == 0:
        return None
    return (num / den).quantize(ATTAINMENT_PLACES, rounding=ROUND_HALF_UP)


def weighted_total(parts: list[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """sum(weight x points) / sum(weight) over KPIs with points; None when no KPI has points."""
    scored = [(w, p) for w, p in parts if p is not None and w > 0]
    weight = sum((w for w, _ in scored), Decimal(0))
    if weight == 0:
        return None
    return (sum((w * p for w, p in scored), Decimal(0)) / weight).quantize(POINT_PLACES, rounding=ROUND_HALF_UP)
