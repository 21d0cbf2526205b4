"""Largest-remainder rounding: parts in cents that add up to the total in cents."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from kpiguard.attribution.apportion import apportion


def test_two_cents_to_the_largest_remainders() -> None:
    # 10.004 + 10.004 + 9.992 = 30.000: floors 10.00 + 10.00 + 9.99 = 29.99, one cent short;
    # remainders 0.4, 0.4, 0.2 cents: the first of the tie (equal amounts) takes it
    assert apportion([D("10.004"), D("10.004"), D("9.992")], D("30.00"), D("0.01")) == [D("10.01"), D("10.00"),
                                                                                      D("9.99")]


def test_negative_parts_floor_downwards() -> None:
    # -1.005 + 2.005 = 1.000: floors -1.01 + 2.00 = 0.99; remainders 0.5 and 0.5 cent, tie broken by
    # the larger amount (2.005): 2.01, and -1.01 + 2.01 = 1.00
    assert apportion([D("-1.005"), D("2.005")], D("1.00"), D("0.01")) == [D("-1.01"), D("2.01")]


def test_overshoot_takes_back_from_the_smallest_remainder() -> None:
    # parts 5.004 + 5.009 = 10.013 against a total rounded elsewhere to 10.00: floors 5.00 + 5.00 =
    # 10.00, nothing to add; against 9.99 one cent comes off the smaller remainder (5.004 -> 4.99)
    assert apportion([D("5.004"), D("5.009")], D("9.99"), D("0.01")) == [D("4.99"), D("5.00")]


def test_only_eligible_parts_move() -> None:
    # 0.5 + 0.5 + 100 (exact) = 101 in whole units: floors 0 + 0 + 100, one unit to the first eligible
    assert apportion([D("0.5"), D("0.5"), D(100)], D(101), D(1), [True, True, False]) == [D(1), D(0), D(100)]


def test_a_total_finer_than_the_quantum_is_refused() -> None:
    with pytest.raises(ValueError):
        apportion([D(1)], D("1.005"), D("0.01"))
