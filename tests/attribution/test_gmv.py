"""GMV = sessions x cvr x aov: the Shapley split worked by hand, the zero cases, and the property
that the three rounded parts always add up to the rounded gap exactly."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from kpiguard.attribution.gmv import GmvSide, split_gmv
from kpiguard.attribution.shapley import shapley


def test_six_orderings_worked_by_hand() -> None:
    # sessions 1000 -> 1200, orders 50 -> 54, GMV 5000 -> 5940:
    #   cvr 0.05 -> 0.045, aov 100 -> 110; ds = +200, dc = -0.005, da = +10; gap 940.
    # Marginal contributions, factor changed at each step (s = sessions, c = cvr, a = aov):
    #   s,c,a: s 200x0.05x100 = 1000   c 1200x-0.005x100 = -600   a 1200x0.045x10 = 540
    #   s,a,c: s 1000                  a 1200x0.05x10 = 600       c 1200x-0.005x110 = -660
    #   c,s,a: c 1000x-0.005x100 = -500  s 200x0.045x100 = 900    a 540
    #   c,a,s: c -500                  a 1000x0.045x10 = 450      s 200x0.045x110 = 990
    #   a,s,c: a 1000x0.05x10 = 500    s 200x0.05x110 = 1100      c -660
    #   a,c,s: a 500                   c 1000x-0.005x110 = -550   s 990
    # traffic    = (1000+1000+900+990+1100+990)/6 = 5980/6 = 996.666...
    # conversion = (-600-660-500-500-660-550)/6  = -3470/6 = -578.333...
    # aov        = (540+600+540+450+500+500)/6   = 3130/6 = 521.666...   sum 5640/6 = 940
    traffic, conversion, aov = shapley([D(1000), D("0.05"), D(100)], [D(1200), D("0.045"), D(110)])
    tiny = Fraction(1, 10**50)  # 60 significant digits
    assert abs(Fraction(traffic) - Fraction(5980, 6)) < tiny and abs(Fraction(conversion) + Fraction(3470, 6)) < tiny
    assert abs(Fraction(aov) - Fraction(3130, 6)) < tiny
    # In cents: floors 996.66 - 578.34 + 521.66 = 939.98, two cents short; every remainder is
    # 2/3 of a cent, so the ties go to the larger amounts: traffic (996.67), conversion (-578.33).
    split = split_gmv(GmvSide.measured(D(1000), D(50), D(5000)), GmvSide.measured(D(1200), D(54), D(5940)))
    assert (split.gap, split.traffic, split.conversion, split.aov) == (D("940.00"), D("996.67"), D("-578.33"),
                                                                       D("521.66"))
    assert split.note is None


def test_one_factor_moving_takes_the_whole_gap() -> None:
    # cvr and aov unchanged (0.05, 100): 1000 -> 1100 sessions is 5000 -> 5500, all traffic
    split = split_gmv(GmvSide.measured(D(1000), D(50), D(5000)), GmvSide.measured(D(1100), D(55), D(5500)))
    assert split.parts() == {"traffic": D("500.00"), "conversion": D("0.00"), "aov": D("0.00")}


def test_no_orders_after_is_a_conversion_loss() -> None:
    # 1000 sessions, 50 orders, 5000 -> 1000 sessions, no orders: aov after is undefined and taken
    # from before (100); cvr 0.05 -> 0 with sessions and aov unchanged: all -5000 is conversion
    split = split_gmv(GmvSide.measured(D(1000), D(50), D(5000)), GmvSide.measured(D(1000), D(0), D(0)))
    assert split.parts() == {"traffic": D("0.00"), "conversion": D("-5000.00"), "aov": D("0.00")}


def test_no_sessions_before_is_all_traffic() -> None:
    # a store with no visits in September and 1200 sessions, 54 orders, 5940 in October: cvr and
    # aov are borrowed from October, only sessions move (0 -> 1200): +5940 traffic
    split = split_gmv(GmvSide.measured(D(0), D(0), D(0)), GmvSide.measured(D(1200), D(54), D(5940)))
    assert split.parts() == {"traffic": D("5940.00"), "conversion": D("0.00"), "aov": D("0.00")}
    assert split.note is None


def test_nothing_on_either_side() -> None:
    split = split_gmv(GmvSide.measured(D(0), D(0), D(0)), GmvSide.measured(D(0), D(0), D(0)))
    assert (split.gap, *split.parts().values()) == (D("0.00"),) * 4


def test_orders_without_sessions_put_the_gap_on_conversion() -> None:
    # September has 50 orders worth 5000 but no sessions (traffic report missing): conversion is
    # undefined, so the whole gap 5400 - 5000 = 400 is the conversion effect
    split = split_gmv(GmvSide.measured(D(0), D(50), D(5000)), GmvSide.measured(D(1000), D(60), D(5400)))
    assert split.parts() == {"traffic": D("0.00"), "conversion": D("400.00"), "aov": D("0.00")}
    assert split.note == "undefined_conversion"


def test_gmv_without_orders_puts_the_gap_on_order_value() -> None:
    # GMV 300 from settlements while the order report has no orders: aov is undefined
    split = split_gmv(GmvSide.measured(D(1000), D(0), D(300)), GmvSide.measured(D(1000), D(10), D(1000)))
    assert split.parts() == {"traffic": D("0.00"), "conversion": D("0.00"), "aov": D("700.00")}
    assert split.note == "undefined_aov"


def test_unknown_sessions_split_orders_and_order_value() -> None:
    # no traffic report: 50 orders x 100 -> 60 orders x 90; two factors, orders and aov:
    # orders effect 10 x (100 + 90) / 2 = 950 (shown as conversion), aov -10 x (50 + 60) / 2 = -550
    split = split_gmv(GmvSide.measured(None, D(50), D(5000)), GmvSide.measured(D(1000), D(60), D(5400)))
    assert split.parts() == {"traffic": D("0.00"), "conversion": D("950.00"), "aov": D("-550.00")}
    assert split.note == "sessions_unknown"


def test_yen_has_no_minor_unit() -> None:
    # 1000 -> 1200 sessions, 50 -> 54 orders, 500000 -> 594000 JPY: the example above x 100,
    # 99666.67 / -57833.33 / 52166.67 in yen: floors 99666 - 57834 + 52166 = 93998, two yen short,
    # equal remainders (2/3), so traffic and conversion take them: 99667, -57833, 52166
    split = split_gmv(GmvSide.measured(D(1000), D(50), D(500000)), GmvSide.measured(D(1200), D(54), D(594000)),
                      quantum=D(1))
    assert split.parts() == {"traffic": D(99667), "conversion": D(-57833), "aov": D(52166)}


# -- the property -------------------------------------------------------------------------------
counts = st.one_of(st.just(0), st.integers(1, 10_000_000))
money = st.one_of(st.just(D(0)), st.decimals(min_value=D("0.01"), max_value=D("1E10"), places=2))
measured = st.builds(lambda s, o, g, unknown: GmvSide.measured(None if unknown else D(s), D(o), g),
                     counts, counts, money, st.sampled_from([False, False, False, True]))  # True: no traffic data
# a target side: drivers with many decimals, GMV their product (as ``targets.resolve`` builds it)
rates = st.decimals(min_value=D("0.000001"), max_value=D(1), places=9)
amounts = st.decimals(min_value=D("0.01"), max_value=D(100000), places=6)
targeted = st.builds(lambda s, c, a: GmvSide(s, c, a, s * c * a),
                     st.decimals(min_value=D(1), max_value=D(10_000_000), places=4), rates, amounts)
quanta = st.sampled_from([D("0.01"), D(1), D("0.001")])


def exact_shapley(before: GmvSide, after: GmvSide) -> list[Fraction]:
    """The closed form in exact rationals, independent of the Decimal walk over orderings:
    x's part = dx ((y0 z0 + y1 z1) / 3 + (y0 z1 + y1 z0) / 6)."""
    b = [Fraction(v) for v in (before.sessions, before.cvr, before.aov)]  # type: ignore[arg-type]
    a = [Fraction(v) for v in (after.sessions, after.cvr, after.aov)]  # type: ignore[arg-type]
    out = []
    for i in range(3):
        j, k = [x for x in range(3) if x != i]
        out.append((a[i] - b[i]) * ((b[j] * b[k] + a[j] * a[k]) / 3 + (b[j] * a[k] + a[j] * b[k]) / 6))
    return out


@settings(max_examples=400, deadline=None)
@given(st.one_of(measured, targeted), st.one_of(measured, targeted), quanta)
def test_parts_sum_exactly_to_the_gap(before: GmvSide, after: GmvSide, quantum: D) -> None:
    split = split_gmv(before, after, quantum)
    assert split.gap == after.gmv.quantize(quantum) - before.gmv.quantize(quantum)
    assert split.traffic + split.conversion + split.aov == split.gap
    for part in split.parts().values():
        assert part == part.quantize(quantum)


@settings(max_examples=300, deadline=None)
@given(st.builds(GmvSide.measured, st.integers(1, 10_000_000).map(D), st.integers(1, 1_000_000).map(D),
                 st.decimals(min_value=D("0.01"), max_value=D("1E9"), places=2)),
       st.builds(GmvSide.measured, st.integers(1, 10_000_000).map(D), st.integers(1, 1_000_000).map(D),
                 st.decimals(min_value=D("0.01"), max_value=D("1E9"), places=2)))
def test_each_part_is_within_a_cent_of_the_exact_shapley_value(before: GmvSide, after: GmvSide) -> None:
    split = split_gmv(before, after)
    for part, exact in zip(split.parts().values(), exact_shapley(before, after), strict=True):
        assert abs(Fraction(part) - exact) < Fraction(1, 100)
