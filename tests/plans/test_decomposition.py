"""Target decomposition GMV = sessions x conversion x AOV, every number worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from kpiguard.plans.decomposition import (
    DriverMonth,
    cube_root,
    decompose,
    month_over_month,
    period_months,
    recent_level,
    round_driver,
    to_dict,
    usable,
)

# the case-us store of tests/metrics/world.py in October 2026: 300 sessions, 4 orders, GMV 245.00
OCTOBER = DriverMonth(date(2026, 10, 1), D(300), D(4), D("245.00"))


def path(d, name):  # noqa: ANN001, ANN201 - test helper
    return next(p for p in d.paths if p.name == name)


def test_fixture_store_recent_level() -> None:
    d = decompose(D("490.00"), [OCTOBER])
    # cvr = 4 / 300 = 0.0133333...; aov = 245.00 / 4 = 61.25
    assert round_driver("cvr", d.recent.cvr) == D("0.013333")
    assert d.recent.aov == D("61.25")
    assert d.recent.gmv == D("245.00")
    assert d.gmv_growth == 2  # 490.00 / 245.00


def test_hold_two_drivers_one_carries_x2() -> None:
    d = decompose(D("490.00"), [OCTOBER])
    # sessions alone: 490 / (0.013333.. x 61.25) = 490 / 0.816666.. = 600 = 300 x 2
    assert round_driver("sessions", path(d, "sessions").level.sessions) == 600
    # cvr alone: 490 / (300 x 61.25) = 490 / 18375 = 0.0266666.. (8 orders in 300 sessions)
    assert round_driver("cvr", path(d, "cvr").level.cvr) == D("0.026667")
    # aov alone: 490 / 4 orders = 122.50
    assert round_driver("aov", path(d, "aov").level.aov) == D("122.50")
    for name in ("sessions", "cvr", "aov"):
        p = path(d, name)
        assert p.growth == {k: (D(2) if k == name else D(1)) for k in ("sessions", "cvr", "aov")}
        assert p.level.gmv == D("490.00")


def test_even_spread_is_the_cube_root_on_each_driver() -> None:
    d = decompose(D("490.00"), [OCTOBER])
    even = path(d, "even")
    # 2 ** (1/3) = 1.259921...: 1.259921 ** 3 = 1.999999..
    assert even.growth["sessions"].quantize(D("0.000001")) == D("1.259921")
    assert len(set(even.growth.values())) == 1
    # sessions 300 x 1.259921 = 377.98 -> 378 (a visit is whole, rounded up)
    assert round_driver("sessions", even.level.sessions) == 378
    # cvr 0.0133333 x 1.259921 = 0.0167989 -> 0.016799; aov 61.25 x 1.259921 = 77.1702 -> 77.17
    assert round_driver("cvr", even.level.cvr) == D("0.016799")
    assert round_driver("aov", even.level.aov) == D("77.17")
    assert (even.level.sessions * even.level.cvr * even.level.aov).quantize(D("0.01")) == D("490.00")


def test_one_month_of_history_cannot_say_whether_growth_has_precedent() -> None:
    d = decompose(D("490.00"), [OCTOBER])
    assert d.feasible_by_history is None
    assert all(p.has_precedent is None for p in d.paths)
    assert d.gmv_precedent.changes == 0


def test_precedents_count_month_over_month_growth_in_history() -> None:
    months = [
        DriverMonth(date(2026, 7, 1), D(200), D(2), D("100.00")),  # cvr 0.01, aov 50
        DriverMonth(date(2026, 8, 1), D(300), D(3), D("165.00")),  # sessions x1.5, cvr x1, aov x1.1, gmv x1.65
        DriverMonth(date(2026, 9, 1), D(300), D(6), D("330.00")),  # sessions x1, cvr x2, aov x1, gmv x2
    ]
    d = decompose(D("660.00"), months, recent_months=1)  # recent = September: 300 x 0.02 x 55 = 330, needs x2
    assert d.gmv_growth == 2
    [sessions] = path(d, "sessions").precedents
    assert (sessions.achieved, sessions.changes, sessions.best) == (0, 2, D("1.5"))
    [cvr] = path(d, "cvr").precedents
    assert (cvr.achieved, cvr.changes, cvr.best) == (1, 2, D(2))  # September doubled conversion
    [aov] = path(d, "aov").precedents
    assert (aov.achieved, aov.best) == (0, D("1.1"))
    assert [p.has_precedent for p in d.paths] == [False, True, False, False]
    # even: each x1.26; sessions grew x1.5 once (yes), cvr x2 once (yes), aov at most x1.1 (no)
    assert [x.achieved for x in path(d, "even").precedents] == [1, 1, 0]
    assert d.feasible_by_history is True
    assert (d.gmv_precedent.achieved, d.gmv_precedent.changes) == (1, 2)  # August x1.65, September x2


def test_a_promise_no_month_ever_approached_is_infeasible() -> None:
    months = [DriverMonth(date(2026, 8, 1), D(1000), D(10), D("500.00")),
              DriverMonth(date(2026, 9, 1), D(1100), D(11), D("550.00"))]  # everything grew x1.1 at best
    d = decompose(D("55000.00"), months, recent_months=1)  # x100 on 550
    assert d.gmv_growth == 100
    assert d.feasible_by_history is False
    # even: 100 ** (1/3) = 4.6416 on each driver; sessions grew x1.1 at most
    assert path(d, "even").growth["cvr"].quantize(D("0.0001")) == D("4.6416")


def test_recent_level_is_a_ratio_of_sums_over_three_months() -> None:
    months = [DriverMonth(date(2026, 7, 1), D(200), D(2), D("100.00")),
              DriverMonth(date(2026, 8, 1), D(300), D(3), D("165.00")),
              DriverMonth(date(2026, 9, 1), D(300), D(6), D("330.00"))]
    level = recent_level(months)
    # sessions (200+300+300)/3 = 266.67; cvr 11/800 = 0.01375; aov 595/11 = 54.09; gmv 595/3 = 198.33
    assert round_driver("aov", level.sessions) == D("266.67")
    assert level.cvr == D("0.01375")
    assert round_driver("aov", level.aov) == D("54.09")
    assert round_driver("aov", level.gmv) == D("198.33")


def test_conversion_above_100_percent_is_impossible() -> None:
    d = decompose(D("49000.00"), [OCTOBER])  # x200: cvr alone 0.013333 x 200 = 2.67 orders a session
    assert [p.name for p in d.paths if p.impossible] == ["cvr"]
    assert not path(d, "even").impossible  # 0.013333 x 200 ** (1/3) = 0.0780


def test_a_target_below_the_recent_level_needs_no_growth() -> None:
    d = decompose(D("200.00"), [OCTOBER])
    assert d.gmv_growth < 1 and d.feasible_by_history is True


def test_helpers() -> None:
    assert cube_root(D(8)).quantize(D("0.000001")) == D(2)
    assert month_over_month([OCTOBER, DriverMonth(date(2026, 11, 1), D(450), D(4), D("245.00"))], "sessions") == [D("1.5")]
    assert usable([OCTOBER, DriverMonth(date(2026, 9, 1), D(0), D(1), D("20.00"))]) == [OCTOBER]
    assert period_months(date(2026, 10, 1), date(2026, 12, 31)) == 3
    assert period_months(date(2026, 11, 1), date(2026, 11, 30)) == 1
    assert period_months(date(2026, 1, 1), date(2026, 12, 31)) == 12
    with pytest.raises(ValueError):
        period_months(date(2026, 10, 3), date(2026, 10, 20))
    with pytest.raises(ValueError):
        decompose(D(1), [])


def test_to_dict_rounds_for_people() -> None:
    data = to_dict(decompose(D("490.00"), [OCTOBER]))
    assert data["recent"] == {"sessions": "300", "cvr": "0.013333", "aov": "61.25", "gmv": "245.00"}
    assert data["gmv_growth"] == "2.0000"
    levels = {p["name"]: p["level"] for p in data["paths"]}  # type: ignore[union-attr]
    assert levels["sessions"]["sessions"] == "600"
    assert levels["cvr"]["cvr"] == "0.026667"
    assert levels["aov"]["aov"] == "122.50"
    assert levels["even"] == {"sessions": "378", "cvr": "0.016799", "aov": "77.17", "gmv": "490.00"}
    assert data["feasible_by_history"] is None
