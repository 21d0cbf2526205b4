"""The target side: driver targets stated, derived or spread evenly, and store shares."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from kpiguard.attribution.gmv import GmvSide, split_gmv
from kpiguard.attribution.targets import (
    allocate,
    kpi_target,
    resolve,
    stated_drivers,
    store_targets,
)
from kpiguard.plans import io
from kpiguard.plans.decomposition import DriverMonth
from tests.attribution.world import plan_text
from tests.plans.plan_text import edit

SEPTEMBER = DriverMonth(date(2026, 9, 1), D(1000), D(50), D(5000))  # cvr 0.05, aov 100
Q = D("1E-9")


def drivers(t) -> tuple[D, D, D]:
    return t.side.sessions.quantize(Q), t.side.cvr.quantize(Q), t.side.aov.quantize(Q)


def test_nothing_stated_is_the_decompositions_even_path() -> None:
    # 6655 = 5000 x 1.331 = 5000 x 1.1^3: each driver grows by 1.1 -> 1100 sessions, 0.055, 110
    t = resolve(D(6655), {}, SEPTEMBER)
    assert drivers(t) == (D("1100.000000000"), D("0.055000000"), D("110.000000000"))
    assert t.sources == {"sessions": "even", "cvr": "even", "aov": "even"} and t.side.gmv == D(6655)


def test_a_stated_rate_leaves_the_rest_to_the_other_two() -> None:
    # cvr stated at 0.05 (September's): 6050 / 5000 = 1.21 is left for sessions and aov, sqrt 1.1 each
    t = resolve(D(6050), {"cvr": D("0.05")}, SEPTEMBER)
    assert drivers(t) == (D("1100.000000000"), D("0.050000000"), D("110.000000000"))
    assert t.sources == {"cvr": "stated", "sessions": "even", "aov": "even"}


def test_two_stated_rates_imply_the_sessions() -> None:
    # cvr 0.04 and aov 125: 6000 / (0.04 x 125) = 1200 sessions, no history needed
    t = resolve(D(6000), {"cvr": D("0.04"), "aov": D(125)}, None)
    assert drivers(t) == (D("1200.000000000"), D("0.040000000"), D("125.000000000"))
    assert t.sources["sessions"] == "derived" and t.notes == []


def test_three_stated_drivers_that_disagree_with_the_gmv_target() -> None:
    # 1000 x 0.04 x 125 = 5000, but the GMV target is 6000: the GMV target binds, sessions become
    # 6000 / (0.04 x 125) = 1200 and a note says so; with 1200 stated there is nothing to say
    t = resolve(D(6000), {"sessions": D(1000), "cvr": D("0.04"), "aov": D(125)}, SEPTEMBER)
    assert t.side.sessions == D(1200) and t.notes == ["sessions_from_gmv"]
    assert resolve(D(6000), {"sessions": D(1200), "cvr": D("0.04"), "aov": D(125)}, SEPTEMBER).notes == []


def test_zero_target_and_no_level() -> None:
    t = resolve(D(0), {"cvr": D("0.04")}, None)
    assert (t.side.sessions, t.side.cvr, t.side.gmv) == (D(0), D("0.04"), D(0))
    assert resolve(D(6000), {"cvr": D("0.04")}, None) is None  # two drivers free, nothing to grow from
    assert resolve(D(6000), {}, DriverMonth(date(2026, 9, 1), D(0), D(0), D(0))) is None


def test_targets_scale_with_months_rates_do_not() -> None:
    plan = io.load(plan_text(), "p.yaml")[0]  # monthly: gmv 7260, cvr 0.04
    assert kpi_target(plan, "gmv", date(2026, 10, 1), date(2026, 10, 31)) == D(7260)
    assert kpi_target(plan, "gmv", date(2026, 10, 1), date(2026, 12, 31)) == D(21780)  # 3 months
    assert kpi_target(plan, "cvr", date(2026, 10, 1), date(2026, 12, 31)) == D("0.04")
    assert stated_drivers(plan, date(2026, 10, 1), date(2026, 10, 31)) == {"cvr": D("0.04")}
    quarterly = io.load(edit(plan_text(), "scoring_period: month", "scoring_period: quarter"), "q.yaml")[0]
    assert kpi_target(quarterly, "gmv", date(2026, 10, 1), date(2026, 10, 31)) == D(2420)  # 7260 / 3


def test_store_shares_add_up_to_the_target() -> None:
    # 7260 by September GMV 4000 : 2000 -> 4840 + 2420
    assert allocate(D(7260), {"a": D(4000), "b": D(2000)}, D("0.01")) == {"a": D("4840.00"), "b": D("2420.00")}
    # 100.00 in three equal shares: 33.333... each, floors 99.99, the first takes the cent
    assert allocate(D(100), dict.fromkeys("abc", D(1)), D("0.01")) == {"a": D("33.34"), "b": D("33.33"),
                                                                      "c": D("33.33")}
    # no GMV anywhere before: even shares
    assert allocate(D(10), {"a": D(0), "b": D(0)}, D("0.01")) == {"a": D("5.00"), "b": D("5.00")}


PLAN_T = resolve(D(7260), {"cvr": D("0.04")}, DriverMonth(date(2026, 9, 1), D(2000), D(80), D(6000)))
PLAN_LEVEL = GmvSide.measured(D(2000), D(80), D(6000))  # cvr 0.04, aov 75


def test_stores_keep_their_own_level_and_grow_as_the_plan_asks() -> None:
    # plan: 2000 sessions, 0.04, 75 -> 2200, 0.04, 82.50: sessions x1.1, cvr x1, aov x1.1.
    # A store converting at 0.09 (1000 sessions, 90 orders, 9000) is asked to hold 0.09, not to
    # fall to the plan's 0.04: 1100 sessions, 0.09, 110 -> 10890 = 9000 x 1.21, its GMV share.
    t = store_targets(PLAN_T, PLAN_LEVEL, D(10890), GmvSide.measured(D(1000), D(90), D(9000)))
    assert (t.side.sessions.quantize(Q), t.side.cvr.quantize(Q), t.side.aov.quantize(Q)) == (
        D("1100.000000000"), D("0.090000000"), D("110.000000000"))
    assert t.sources == {"sessions": "scaled", "cvr": "scaled", "aov": "scaled"}
    assert store_targets(PLAN_T, PLAN_LEVEL, D(0), GmvSide.measured(D(0), D(0), D(0))).side.gmv == D(0)


def test_a_store_without_traffic_keeps_its_orders_and_order_value() -> None:
    # no traffic report: 10 orders x 50 = 500 in September; its share 605 = 500 x 1.21 asks for
    # 10 x 1.1 x 1 = 11 orders at 50 x 1.1 = 55. October: 12 orders x 50 = 600, sessions unknown:
    # orders 1 x (55 + 50) / 2 = 52.50 (conversion column), aov -5 x (11 + 12) / 2 = -57.50; -5 = 600 - 605
    t = store_targets(PLAN_T, PLAN_LEVEL, D(605), GmvSide.measured(None, D(10), D(500)))
    assert (t.side.sessions, t.side.order_count().quantize(Q), t.side.aov.quantize(Q)) == (
        None, D("11.000000000"), D("55.000000000"))
    split = split_gmv(t.side, GmvSide.measured(None, D(12), D(600)))
    assert (split.gap, *split.parts().values(), split.note) == (D("-5.00"), D("0.00"), D("52.50"), D("-57.50"),
                                                                "sessions_unknown")


def test_a_store_with_no_level_gets_the_plan_level_rates() -> None:
    # no orders in September (but a share of 330, as when no store sold anything and the target is
    # shared evenly): with the plan's cvr 0.04 and aov 82.50, 330 needs 330 / (0.04 x 82.5) = 100 sessions
    t = store_targets(PLAN_T, PLAN_LEVEL, D(330), GmvSide.measured(D(500), D(0), D(0)))
    assert (t.side.sessions.quantize(Q), t.side.cvr, t.side.aov.quantize(Q)) == (D("100.000000000"), D("0.04"),
                                                                                  D("82.500000000"))
    assert t.notes == ["plan_level_ratios"] and t.sources["sessions"] == "derived"
