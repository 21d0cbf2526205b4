"""The backtest on the world of world.py: its months, the model's errors, the naive baseline's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from kpiguard.errors import InputError
from kpiguard.pacing import backtest
from kpiguard.pacing.backtest import BacktestResult
from kpiguard.workspace import Workspace


@pytest.fixture(scope="module")
def result(paced_ws: Workspace) -> BacktestResult:
    return backtest(paced_ws)


def test_full_months_with_eight_weeks_of_history_before_the_15th(result: BacktestResult) -> None:
    # data 2026-04-01 .. 10-31: May 15 has 44 days before it (< 56), June 15 has 75: June .. October
    months = sorted({c.month for c in result.cases})
    assert months == [date(2026, m, 1) for m in (6, 7, 8, 9, 10)]
    assert result.stores == ("pace-us",) and result.metrics == ("gmv", "acos")
    assert result.months("gmv") == result.months("acos") == 5


def test_the_weekday_shaped_forecast_is_exact_where_naive_pro_rating_is_not(result: BacktestResult) -> None:
    [october] = [c for c in result.cases if c.metric == "gmv" and c.month == date(2026, 10, 1)]
    # actual 4000.00; forecast 1900 + 2100 = 4000.00 (see test_pace); naive: 1900 x 31 / 15 = 3926.67
    assert (october.as_of, october.actual, october.forecast, october.naive) == (
        date(2026, 10, 15), D("4000.00"), D("4000.00"), D("3926.67"))
    # naive error: |3926.67 - 4000| / 4000 = 73.33 / 4000 = 0.018333 -> 0.0183
    assert (october.ape(), october.ape("naive")) == (D("0.0000"), D("0.0183"))
    [acos] = [c for c in result.cases if c.metric == "acos" and c.month == date(2026, 10, 1)]
    # actual 1020 / 3200 = 0.31875; naive = the rate to date, 490 / 1520 = 0.322368;
    # error |0.322368 - 0.31875| / 0.31875 = 0.003618 / 0.31875 = 0.01135 -> 0.0114
    assert (acos.actual, acos.forecast, acos.naive) == (D("0.318750"), D("0.318750"), D("0.322368"))
    assert (acos.ape(), acos.ape("naive")) == (D("0.0000"), D("0.0114"))
    # every month's weekday shape is exact, so the model's MAPE is 0 and its intervals hold the actual
    assert result.mape("gmv") == result.mape("acos") == D("0.0000")
    assert result.mape("gmv", "pace-us") == D("0.0000") and result.coverage("gmv") == D("1.0000")
    # naive, month by month (1st-15th: to date; x days / 15):
    #   June (Mon 1st): to date 11 x 100 + 4 x 200 = 1900, x 30/15 = 3800 = actual (22 x 100 + 8 x 200): 0
    #   July (Wed 1st): 1900 x 31/15 = 3926.67 vs 23 x 100 + 8 x 200 = 3900: 26.67 / 3900 = 0.0068
    #   August (Sat 1st): 10 x 100 + 5 x 200 = 2000, x 31/15 = 4133.33 vs 21 x 100 + 10 x 200 = 4100: 0.0081
    #   September (Tue 1st): 1900 x 30/15 = 3800 = actual: 0;  October: 0.0183
    #   MAPE (0 + 0.0068 + 0.0081 + 0 + 0.0183) / 5 = 0.00664 -> 0.0066
    assert result.mape("gmv", which="naive") == D("0.0066")


def test_what_cannot_be_backtested_is_refused(paced_ws: Workspace) -> None:
    with pytest.raises(InputError) as caught:
        backtest(paced_ws, metrics=("gmv", "buyers", "nonsense"), day_of_month=31)
    assert [f.code for f in caught.value.findings] == ["backtest.metric", "backtest.metric", "backtest.day"]
