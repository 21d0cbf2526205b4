"""The forecast's statistics on constructed histories, each spread worked out by hand:
replayed forecast errors, the day-to-day fallback, last year's shape, period-reported data."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from kpiguard.metrics import catalog
from kpiguard.pacing import kpis
from kpiguard.pacing.forecast import Outlook, outlook
from kpiguard.pacing.shape import History, fit, period_reported

AS_OF = date(2026, 10, 15)


def phi(z: float) -> float:
    """The standard normal distribution function, from the error function."""
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def alternating_weeks(a: float, b: float, weeks: int = 30) -> History:
    """Whole weeks of ``a`` a day and ``b`` a day in turn, ending on AS_OF; the week just before
    AS_OF (the 9th-15th) is a ``b`` week, the one before it an ``a`` week, and so on back."""
    first = AS_OF - timedelta(days=7 * weeks - 1)
    values = []
    for i in range(7 * weeks):
        block = (AS_OF - (first + timedelta(days=i))).days // 7  # 0 for the last week
        values.append(b if block % 2 == 0 else a)
    return History(first, tuple(values))


def one(measure: str, h: History, start: date, end: date) -> Outlook:
    actual = D(repr(h.total(start, AS_OF)))
    return outlook({("s", measure): h}, {("s", measure): actual}, [measure], AS_OF, start, end)


def test_the_spread_is_the_stores_own_replayed_forecast_error() -> None:
    # 100 a day and 120 a day in alternate weeks. Every 28-day window holds two weeks of each, so
    # the level is always 110 and weekdays are flat; a 7-day forecast is always 770. Replayed from
    # t = AS_OF - 7k (k = 1..20), the week after t was 840 (k odd: a 120 week, k = 1 being the week
    # that ends on AS_OF) or 700 (k even): errors 840/770 - 1 = +1/11 and -1/11, ten of each.
    h = alternating_weeks(100.0, 120.0)
    start, end = AS_OF - timedelta(days=13), AS_OF + timedelta(days=7)
    o = one("gmv_amount", h, start, end)
    assert o.spread.method == "forecast_errors" and len(o.spread.deltas) == 20
    # to date: the last two weeks, 700 + 840 = 1540; the rest: 770; forecast 2310
    assert float(o.actual["gmv_amount"]) == 1540.0
    assert o.forecast("gmv_amount") == pytest.approx(2310.0)
    # scenarios move the rest by 770 x (+-1/11) = +-70: sigma = sqrt(mean(70^2)) = 70
    assert o.sigma("gmv_amount") == pytest.approx(70.0)
    gmv = catalog.load().metric("gmv")
    f = kpis.forecast(gmv, None, o, "USD")
    # 80% interval: 2310 +- 1.2815516 x 70 = 2310 +- 89.71 -> 2220.29 .. 2399.71
    assert (f.value, f.low, f.high) == (D("2310.00"), D("2220.29"), D("2399.71"))
    # P(final >= 2400) = 1 - phi((2400 - 2310) / 70) = 1 - phi(1.285714) = 0.0993
    p = kpis.likelihood(f, D("2400"), "higher")
    assert p == D(repr(1 - phi(90 / 70))).quantize(D("0.0001")) == D("0.0993")
    # lower is better mirrors it: P(final <= 2400) = phi(1.285714) = 0.9007
    assert kpis.likelihood(f, D("2400"), "lower") == D("0.9007")


def test_parts_that_miss_together_stay_together() -> None:
    # ad spend and ad sales both run 20% higher in alternate weeks (30/36 and 100/120 a day): each
    # scenario moves both by the same factor, so ACoS = 0.3 in every scenario and its spread is 0,
    # while ad spend alone has a spread (70 x 30/100 = 21, as in the test above scaled by 0.3)
    spend, sales = alternating_weeks(30.0, 36.0), alternating_weeks(100.0, 120.0)
    start, end = AS_OF - timedelta(days=13), AS_OF + timedelta(days=7)
    series = {("s", "ad_spend_amount"): spend, ("s", "ad_sales_amount"): sales}
    actual = {("s", "ad_spend_amount"): D("462"), ("s", "ad_sales_amount"): D("1540")}
    o = outlook(series, actual, ["ad_spend_amount", "ad_sales_amount"], AS_OF, start, end)
    assert o.forecast("ad_spend_amount / ad_sales_amount") == pytest.approx(0.3)
    assert o.sigma("ad_spend_amount / ad_sales_amount") == 0.0
    assert o.sigma("ad_spend_amount") == pytest.approx(21.0)


def test_a_short_history_falls_back_to_day_to_day_variation() -> None:
    # 14 days alternating 90 and 110: too short for weekday factors (4 weeks) or for 5 replays
    first = AS_OF - timedelta(days=13)
    h = History(first, tuple(90.0 if i % 2 == 0 else 110.0 for i in range(14)))
    o = one("gmv_amount", h, first, AS_OF + timedelta(days=7))
    assert o.spread.method == "day_to_day" and o.shape_of("gmv_amount") == "calendar"
    # level 1400 / 14 = 100; the rest: 7 x 100 = 700; forecast 1400 + 700 = 2100
    assert o.forecast("gmv_amount") == pytest.approx(2100.0)
    # residuals +-0.1, sample sd 0.1 x sqrt(14/13) = 0.1037749; the rest's sd (days independent):
    # 0.1037749 x sqrt(7 x 100^2) = 0.1037749 x 264.5751 = 27.4563
    assert o.sigma("gmv_amount") == pytest.approx(0.1 * math.sqrt(14 / 13) * 100 * math.sqrt(7))
    assert o.sigma("gmv_amount") == pytest.approx(27.4563, abs=1e-4)


def test_last_years_days_shape_the_rest_of_the_period() -> None:
    # 100 a day from 2025-07-01, except 200 a day from 2025-10-20 to 2025-11-30 (last year's
    # season). This year's October has been 100 a day; 364 days back from 2026-10-16 is 2025-10-17.
    first = date(2025, 7, 1)
    values = [200.0 if date(2025, 10, 20) <= first + timedelta(days=i) <= date(2025, 11, 30) else 100.0
              for i in range((AS_OF - first).days + 1)]
    h = History(first, tuple(values))
    start, end = date(2026, 10, 1), date(2026, 10, 31)
    o = one("gmv_amount", h, start, end)
    assert o.shape_of("gmv_amount") == "last_year"  # weekdays are flat once the season is divided out
    # seasonal(day) = mean of last year's day-364 +-3: the 16th..21st take 1..6 days of the 200s,
    # (600 + 200) / 7 ... (100 + 1200) / 7, together 6300 / 7 = 900; the 22nd..31st are 200 each: 2000.
    # Level over the last 28 days: 2800 / (28 x 100) = 1, so the rest is 900 + 2000 = 2900
    assert o.remainder["gmv_amount"] == pytest.approx(2900.0)
    assert o.forecast("gmv_amount") == pytest.approx(1500.0 + 2900.0)
    # expected share by the 15th: 1500 / (1500 + 2900) = 0.340909
    f = kpis.expected(catalog.load().metric("gmv"), "additive", kpis.Bounds(None, D("8800"), None), o, "USD")
    assert f == (D("3000.00"), D("0.3409"))  # 8800 x 1500 / 4400 = 3000


def test_a_shape_needs_seven_days() -> None:
    h = History(AS_OF - timedelta(days=5), (100.0,) * 6)
    assert fit(h, AS_OF, AS_OF) is None
    o = one("gmv_amount", h, AS_OF - timedelta(days=5), AS_OF + timedelta(days=3))
    assert o.forecast("gmv_amount") is None and "gmv_amount" in o.missing


def test_monthly_or_weekly_rows_are_not_read_as_days() -> None:
    # a business report per month lands on each month's 1st; per week, on the same weekday
    monthly = {date(2026, m, 1): 1000.0 for m in (7, 8, 9, 10)}
    first = date(2026, 7, 1)
    h = History(first, tuple(monthly.get(first + timedelta(days=i), 0.0) for i in range(107)))
    assert period_reported(h, AS_OF)
    weekly = History(date(2026, 9, 7), tuple(500.0 if i % 7 == 0 else 0.0 for i in range(39)))
    assert period_reported(weekly, AS_OF)
    # a sparse daily count (refunds on the 3rd, 9th, 20th and 22nd) is still daily data
    sparse_days = {date(2026, 10, 3), date(2026, 10, 9), date(2026, 10, 20), date(2026, 10, 22)}
    sparse = History(date(2026, 10, 3), tuple(1.0 if date(2026, 10, 3) + timedelta(days=i) in sparse_days else 0.0
                                               for i in range(13)))
    assert not period_reported(sparse, AS_OF)
    o = one("sessions_count", h, date(2026, 10, 1), date(2026, 10, 31))
    assert o.coarse == {"sessions_count"} and o.forecast("sessions_count") is None


def test_a_lower_is_better_budget_gets_the_most_it_may_still_spend() -> None:
    # ad spend 30 and 36 a day in alternate weeks (the first test's pattern x 0.3): to date (two
    # weeks) 210 + 252 = 462; the rest (7 days at 33) 231; forecast 693; sigma 70 x 0.3 = 21
    h = alternating_weeks(30.0, 36.0)
    o = one("ad_spend_amount", h, AS_OF - timedelta(days=13), AS_OF + timedelta(days=7))
    spend = catalog.load().metric("ad_spend")
    k = kpis.kpi_pace(spend, kpis.Bounds(D("750"), D("700"), D("650")), "advertising", D("462.00"), o, "USD")
    assert (k.direction, k.method, k.forecast) == ("lower", "additive", D("693.00"))
    # the most the last week may spend: (700 - 462) x 7 / 7 = 238.00
    assert k.weekly_needed == D("238.00")
    # P(final <= 700) = phi((700 - 693) / 21) = phi(0.3333) = 0.6306; P(<= 750) = phi(57/21) = 0.9967
    assert (k.p_target, k.p_floor) == (D("0.6306"), D("0.9967"))
    assert k.status == "on_track"  # 50% <= P(target) < 90%
    # expected to date: 700 x the share of the shape's volume by AS_OF; the shape is flat at 33 a
    # day over the 21 days, so 14/21 of it: 700 x 2/3 = 466.67
    assert (k.expected_share, k.expected_to_date) == (D("0.6667"), D("466.67"))
