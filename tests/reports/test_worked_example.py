"""The scoring arithmetic printed in the contract's worked example, checked by hand."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from kpiguard.plans.model import (
    BonusTier,
    FeeStep,
    Guardrail,
    Incentives,
    Kpi,
    Party,
    Period,
    Plan,
    ScoringCurve,
)
from kpiguard.reports.worked_example import (
    after_breach,
    bonus_pct,
    curve_points,
    fee_reduction_pct,
    worked_example,
)

CURVE = ScoringCurve()  # 0 below floor, 60 at floor, 100 at target, 120 at stretch, cap 120


def gmv_points(actual: str) -> D:
    return curve_points(D(actual), D(80000), D(100000), D(120000), CURVE)


def test_higher_is_better_curve_by_hand() -> None:
    assert gmv_points("79999.99") == 0  # below the floor
    assert gmv_points("80000") == 60  # at the floor
    assert gmv_points("90000") == 80  # 60 + (90000 - 80000) / (100000 - 80000) * (100 - 60) = 60 + 0.5 * 40
    assert gmv_points("95000") == 90  # 60 + 0.75 * 40
    assert gmv_points("100000") == 100  # at the target
    assert gmv_points("110000") == 110  # 100 + (110000 - 100000) / (120000 - 100000) * (120 - 100) = 100 + 10
    assert gmv_points("150000") == 120  # beyond the stretch: the stretch's points


def test_lower_is_better_curve_mirrors() -> None:
    # ACoS floor 30%, target 25%, stretch 20%
    def acos(actual: str) -> D:
        return curve_points(D(actual), D("0.30"), D("0.25"), D("0.20"), CURVE, "lower")

    assert acos("0.31") == 0  # worse than the floor
    assert acos("0.30") == 60
    assert acos("0.275") == 80  # 60 + (0.275 - 0.30) / (0.25 - 0.30) * 40 = 60 + (-0.025 / -0.05) * 40
    assert acos("0.225") == 110  # 100 + (0.225 - 0.25) / (0.20 - 0.25) * 20 = 100 + 0.5 * 20
    assert acos("0.10") == 120


def test_cap_and_missing_stretch() -> None:
    capped = ScoringCurve(at_stretch=D(130), cap=D(110))
    assert curve_points(D(120000), D(80000), D(100000), D(120000), capped) == 110  # 130 capped at 110
    assert curve_points(D(150000), D(80000), D(100000), None, CURVE) == 100  # no stretch: target's points


@given(st.decimals(min_value=0, max_value=300000, places=2), st.decimals(min_value=0, max_value=300000, places=2))
def test_points_never_fall_as_the_actual_improves(a: D, b: D) -> None:
    low, high = sorted((a, b))
    assert gmv_points(str(low)) <= gmv_points(str(high))
    # and for "lower is better" a smaller actual never scores less
    acos_low = curve_points(low / 1000000, D("0.30"), D("0.25"), D("0.20"), CURVE, "lower")
    acos_high = curve_points(high / 1000000, D("0.30"), D("0.25"), D("0.20"), CURVE, "lower")
    assert acos_low >= acos_high


def test_fee_steps_and_bonus_tiers_at_their_edges() -> None:
    steps = [FeeStep(below_score=D(80), fee_reduction_pct=D(10)), FeeStep(below_score=D(60), fee_reduction_pct=D(30))]
    assert fee_reduction_pct(D(80), steps) == 0  # 80 is not below 80
    assert fee_reduction_pct(D("79.99"), steps) == 10
    assert fee_reduction_pct(D("59.99"), steps) == 30  # both steps apply: the larger reduction
    tiers = Incentives(tiers=[BonusTier(min_score=D(90), bonus_pct=D(100)), BonusTier(min_score=D(80), bonus_pct=D(50))])
    assert bonus_pct(D(90), tiers) == 100
    assert bonus_pct(D("89.99"), tiers) == 50
    assert bonus_pct(D("79.99"), tiers) == 0


def test_guardrail_breach_consequences() -> None:
    assert after_breach(D(92), Guardrail(metric="refund_rate", consequence="cap_total", cap_points=D(70))) == 70
    assert after_breach(D(65), Guardrail(metric="refund_rate", consequence="cap_total", cap_points=D(70))) == 65
    assert after_breach(D(92), Guardrail(metric="refund_rate", consequence="penalty", penalty_points=D(15))) == 77
    assert after_breach(D(92), Guardrail(metric="order_defect_rate", consequence="void_bonus")) == 92


def _plan(kpis: list[Kpi], **extra: object) -> Plan:
    return Plan(plan_id="p1", seller=Party(name="S", kind="seller"), provider=Party(name="A", kind="agency"),
                cooperation_mode="full_service", business_goal="profit", stage="growth", stores=["s1"],
                period=Period(start="2026-11-01", end="2026-11-30"), kpis=kpis, **extra)  # type: ignore[arg-type]


def test_example_uses_the_first_kpi_with_floor_and_target() -> None:
    plan = _plan([Kpi(metric="units", weight=D(30)),  # no floor: skipped
                  Kpi(metric="acos", floor=D("0.30"), target=D("0.25"), weight=D(70))],
                 guardrails=[Guardrail(metric="refund_rate", consequence="penalty", penalty_points=D(10))])
    ex = worked_example(plan, {"acos": "lower"})
    assert ex.metric == "acos" and not ex.hypothetical
    assert ex.actual == D("0.275")  # (0.30 + 0.25) / 2
    assert ex.points == 80
    assert ex.weighted == D(56)  # 80 * 70 / 100
    assert ex.total == 86  # 56 + 30 * 100 / 100
    assert ex.breached_total == 76  # 86 - 10


def test_example_without_floors_assumes_80_to_100() -> None:
    ex = worked_example(_plan([Kpi(metric="gmv", target=D(50000), weight=D(100))]), {"gmv": "higher"})
    assert ex.hypothetical and (ex.floor, ex.target, ex.actual) == (80, 100, 90)
    assert ex.points == 80 and ex.total == 80  # the only KPI: 80 * 100 / 100
    assert ex.guardrail is None and ex.breached_total is None
