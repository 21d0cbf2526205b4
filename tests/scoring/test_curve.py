"""Points on the default curve, worked by hand (floor 60, target 100, stretch 120, cap 120)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from kpiguard.plans.model import ScoringCurve
from kpiguard.scoring.curve import attainment, points, weighted_total

CURVE = ScoringCurve()


@pytest.mark.parametrize(("actual", "expected"), [
    ("799.99", "0.00"),  # below the floor of 800
    ("800", "60.00"),  # at the floor
    ("900", "80.00"),  # halfway floor->target: 60 + 0.5 x 40
    ("1000", "100.00"),  # at target
    ("1100", "110.00"),  # halfway target->stretch: 100 + 0.5 x 20
    ("1200", "120.00"),  # at stretch
    ("5000", "120.00"),  # beyond stretch: capped
])
def test_higher_is_better(actual: str, expected: str) -> None:
    assert points(D(actual), D(800), D(1000), D(1200), "higher", CURVE) == D(expected)


@pytest.mark.parametrize(("actual", "expected"), [
    ("0.31", "0.00"),  # worse than the floor 0.30
    ("0.30", "60.00"),
    ("0.27", "72.00"),  # 60 + (0.30 - 0.27) / 0.10 x 40 = 60 + 12
    ("0.20", "100.00"),
    ("0.175", "110.00"),  # 100 + (0.20 - 0.175) / 0.05 x 20
    ("0.10", "120.00"),
])
def test_lower_is_better_is_mirrored(actual: str, expected: str) -> None:
    assert points(D(actual), D("0.30"), D("0.20"), D("0.15"), "lower", CURVE) == D(expected)


def test_missing_floor_and_stretch() -> None:
    # no floor: short of the target scores the below-floor points; no stretch: nothing above target
    assert points(D(999), None, D(1000), None, "higher", CURVE) == D(0)
    assert points(D(1500), None, D(1000), None, "higher", CURVE) == D(100)
    assert points(None, D(1), D(2), D(3), "higher", CURVE) is None


def test_custom_curve_cap() -> None:
    curve = ScoringCurve(at_floor=D(50), at_stretch=D(150), cap=D(110))
    assert points(D(1100), D(800), D(1000), D(1200), "higher", curve) == D(110)  # 125 capped at 110


def test_attainment_and_weighted_total() -> None:
    assert attainment(D(730), D("820.22"), "higher") == D("0.8900")
    assert attainment(D("0.25"), D("0.20"), "lower") == D("0.8000")
    assert attainment(D(0), D("0.20"), "lower") is None
    # (50 x 78 + 30 x 80 + 20 x 100) / 100 = 83; a KPI without points leaves the weights
    assert weighted_total([(D(50), D(78)), (D(30), D(80)), (D(20), D(100))]) == D("83.00")
    assert weighted_total([(D(50), None)]) is None
