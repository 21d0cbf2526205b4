"""``pace`` on the world of world.py (weekdays 100, weekends 200) with its signed plan, every
expected number worked out by hand from the calendar of October 2026 (see world.py)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from kpiguard.errors import InputError
from kpiguard.pacing import pace
from kpiguard.pacing.model import KpiPace, PaceReport
from kpiguard.workspace import Workspace
from tests.pacing.conftest import PLAN_ID

MID = date(2026, 10, 15)  # a Thursday; the world has data through the 31st, which pace must not see


@pytest.fixture(scope="module")
def mid(paced_ws: Workspace) -> PaceReport:
    return pace(paced_ws, PLAN_ID, MID)


def kpi(report: PaceReport, metric: str) -> KpiPace:
    [found] = [k for k in report.kpis if k.metric == metric]
    return found


def test_the_period_is_the_scoring_month_holding_as_of(mid: PaceReport) -> None:
    assert (mid.period_start, mid.period_end, mid.days_elapsed, mid.days_total) == (
        date(2026, 10, 1), date(2026, 10, 31), 15, 31)
    assert (mid.plan_id, mid.version, mid.plan_status, mid.currency, mid.stores) == (
        PLAN_ID, 1, "signed", "USD", ("pace-us",))
    assert mid.data_through == {"pace-us": MID}


def test_gmv_expected_to_date_follows_the_stores_weekday_shape(mid: PaceReport) -> None:
    g = kpi(mid, "gmv")
    # to date (1st-15th): 11 weekdays x 100 + 4 weekend days x 200 = 1900.00
    assert g.actual_to_date == D("1900.00")
    # the shape: weekday factors 100 / (900/7) = 7/9 and 200 / (900/7) = 14/9; level = the last 28 days
    # (20 weekdays, 8 weekend days: 3600) / (20 x 7/9 + 8 x 14/9 = 28) = 900/7, so a weekday is expected
    # at 100 and a weekend day at 200. Share of October's expected 4000 by the 15th: 1900 / 4000 = 0.475
    # (calendar days would say 15/31 = 0.4839). Expected to date = 5000 x 0.475 = 2375.00
    assert g.expected_share == D("0.4750")
    assert g.expected_to_date == D("2375.00")
    # forecast = 1900 + the 16th-31st (11 weekdays, 5 weekend days) = 1900 + 2100 = 4000.00; every past
    # forecast of this store was exact, so the 80% interval has no width
    assert (g.forecast, g.forecast_low, g.forecast_high) == (D("4000.00"), D("4000.00"), D("4000.00"))
    assert g.interval_method == "forecast_errors" and g.shape == "weekday" and g.method == "additive"
    # per remaining week: (5000 - 1900) / (16 days / 7) = 3100 x 7 / 16 = 1356.25
    assert g.weekly_needed == D("1356.25")
    # the floor (4000) is reached exactly, the target (5000) not: behind
    assert (g.p_floor, g.p_target, g.status) == (D("1"), D("0"), "behind")
    assert (g.floor, g.target, g.stretch, g.owner) == (D("4000"), D("5000"), D("6000"), "operations")


def test_acos_lower_is_better_is_paced_as_a_ratio_of_its_parts(mid: PaceReport) -> None:
    a = kpi(mid, "acos")
    # to date: spend 490.00 / ad sales 1520.00 = 0.32236842 -> 0.322368
    assert a.actual_to_date == D("0.322368")
    assert a.direction == "lower" and a.method == "ratio"
    # a rate is not spread over days: the expected rate to date is the target itself
    assert a.expected_to_date == D("0.30") and a.expected_share is None
    # forecast: (490 + 530) / (1520 + 1680) = 1020 / 3200 = 0.31875
    assert (a.forecast, a.forecast_low, a.forecast_high) == (D("0.318750"), D("0.318750"), D("0.318750"))
    # the rest of the month must run at (0.30 x (1520 + 1680) - 490) / 1680 = 470 / 1680 = 0.2797619
    assert a.weekly_needed == D("0.279762")
    # lower is better: 0.31875 is within the floor 0.35 but above the target 0.30
    assert (a.p_floor, a.p_target, a.status) == (D("1"), D("0"), "behind")


def test_a_ratio_with_a_difference_on_top_uses_its_formula_parts(mid: PaceReport) -> None:
    o = kpi(mid, "organic_sales_share")
    # (gmv - ad sales) / gmv: to date (1900 - 1520) / 1900 = 0.2; forecast (4000 - 3200) / 4000 = 0.2
    assert (o.actual_to_date, o.forecast) == (D("0.200000"), D("0.200000"))
    # needed: (0.50 x (1900 + 2100) - (1900 - 1520)) / 2100 = (2000 - 380) / 2100 = 0.7714286
    assert o.weekly_needed == D("0.771429")
    # below the floor 0.40 with no doubt: at risk
    assert (o.p_floor, o.p_target, o.status) == (D("0"), D("0"), "at_risk")


def test_a_snapshot_metric_is_shown_but_not_forecast(mid: PaceReport) -> None:
    r = kpi(mid, "avg_rating")
    assert (r.actual_to_date, r.forecast, r.p_target, r.weekly_needed, r.status, r.method) == (
        None, None, None, None, "unknown", "not_paced")
    assert r.target == D("4.4") and "不做预测" in r.note and "not forecast" in r.note


def test_guardrails_get_their_breach_odds(mid: PaceReport) -> None:
    tacos, refunds = mid.guardrails
    # TACoS = ad spend / GMV: to date 490 / 1900 = 0.2578947; forecast 1020 / 4000 = 0.255 <= 0.30
    assert (tacos.metric, tacos.actual_to_date, tacos.forecast, tacos.limit) == (
        "tacos", D("0.257895"), D("0.255000"), D("0.3"))
    assert (tacos.p_breach, tacos.consequence, tacos.owner) == (D("0"), "cap_total", "advertising")
    # no refunds data at all: unknown, and the note says why
    assert (refunds.metric, refunds.actual_to_date, refunds.forecast, refunds.p_breach) == (
        "refund_rate", None, None, None)
    assert "no data for refund_units_count" in refunds.note


def test_daily_holds_twelve_weeks_of_gmv_and_orders_for_the_anomaly_rule(mid: PaceReport) -> None:
    gmv, orders = mid.daily[("pace-us", "gmv")], mid.daily[("pace-us", "orders")]
    assert set(mid.daily) == {("pace-us", "gmv"), ("pace-us", "orders")}
    # 84 days: 2026-07-24 .. 2026-10-15, one order a day, 200 on Saturdays and Sundays
    assert [d for d, _ in gmv] == [date(2026, 7, 24) + timedelta(days=i) for i in range(84)]
    assert all(v == (D("200.00") if d.weekday() >= 5 else D("100.00")) for d, v in gmv)
    assert {v for _, v in orders} == {D(1)}


def test_at_the_last_day_the_forecast_is_the_actual(paced_ws: Workspace) -> None:
    g = kpi(pace(paced_ws, PLAN_ID, date(2026, 10, 31)), "gmv")
    # the whole of October: 4000.00; nothing remains, so nothing is needed per week
    assert (g.actual_to_date, g.forecast, g.forecast_low, g.forecast_high) == (D("4000.00"),) * 4
    assert (g.interval_method, g.weekly_needed, g.p_floor, g.p_target) == ("complete", None, D("1"), D("0"))
    assert g.expected_to_date == D("5000.00")  # the whole target: the share is 1


def test_days_after_the_last_import_count_as_zero_and_are_flagged(paced_ws: Workspace) -> None:
    november = pace(paced_ws, PLAN_ID, date(2026, 11, 2))
    assert (november.period_start, november.period_end) == (date(2026, 11, 1), date(2026, 11, 30))
    assert kpi(november, "gmv").actual_to_date == D("0.00")
    assert november.data_through == {"pace-us": date(2026, 10, 31)}


def test_a_day_outside_the_plan_is_refused_with_the_plans_dates(paced_ws: Workspace) -> None:
    with pytest.raises(InputError) as caught:
        pace(paced_ws, PLAN_ID, date(2027, 1, 1))
    [finding] = caught.value.findings
    assert finding.column == "--as-of" and "2026-10-01 to 2026-12-31" in (finding.hint or "")
