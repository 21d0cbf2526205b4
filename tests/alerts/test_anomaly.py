"""The robust same-weekday anomaly score, on series built and scored by hand."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from kpiguard.alerts.anomaly import detect, median, score_day

D = Decimal
MONDAY = date(2026, 10, 12)  # 2026-10-12 is a Monday


def mondays(values: list[str], today: str) -> list[tuple[date, Decimal]]:
    """``values`` for the 8 Mondays before MONDAY (oldest first), then ``today`` on MONDAY."""
    days = [MONDAY - timedelta(weeks=8 - i) for i in range(8)]
    return [*zip(days, map(D, values), strict=True), (MONDAY, D(today))]


def test_median_of_even_and_odd_counts() -> None:
    assert median([D(3), D(1), D(2)]) == D(2)
    assert median([D(4), D(1), D(3), D(2)]) == D("2.5")


def test_spike_scored_by_hand() -> None:
    series = mondays(["100", "104", "96", "102", "98", "101", "99", "100"], today="130")
    s = score_day(series, MONDAY)
    assert s is not None
    # sorted history 96 98 99 100 100 101 102 104 -> median (100 + 100) / 2 = 100
    # |x - 100|: 0 4 4 2 2 1 1 0 -> sorted 0 0 1 1 2 2 4 4 -> MAD (1 + 2) / 2 = 1.5
    # score = 0.6745 * (130 - 100) / 1.5 = 0.6745 * 20 = 13.49
    assert (s.median, s.spread, s.spread_kind) == (D(100), D("1.5"), "mad")
    assert s.score == D("13.49")
    assert s.flagged()
    assert s.history[0] == D(100) and len(s.history) == 8  # most recent Monday first


def test_ordinary_day_is_not_flagged() -> None:
    s = score_day(mondays(["100", "104", "96", "102", "98", "101", "99", "100"], today="103"), MONDAY)
    # 0.6745 * (103 - 100) / 1.5 = 1.349 < 3.5
    assert s is not None and s.score == D("1.349") and not s.flagged()


def test_drop_has_a_negative_score() -> None:
    s = score_day(mondays(["100", "104", "96", "102", "98", "101", "99", "100"], today="40"), MONDAY)
    # 0.6745 * (40 - 100) / 1.5 = -26.98
    assert s is not None and s.score == D("-26.98") and s.flagged()


def test_zero_mad_falls_back_to_mean_absolute_deviation() -> None:
    s = score_day(mondays(["100", "100", "100", "120", "100", "100", "80", "100"], today="130"), MONDAY)
    # median 100; deviations 0 0 0 20 0 0 20 0 -> MAD 0; MeanAD = 40 / 8 = 5
    # score = (130 - 100) / (1.2533 * 5) = 30 / 6.2665 = 4.78736...
    assert s is not None and s.spread_kind == "meanad" and s.spread == D(5)
    assert s.score.quantize(D("0.0001")) == D("4.7874")


def test_constant_or_thin_history_is_not_judged() -> None:
    assert score_day(mondays(["100"] * 8, today="500"), MONDAY) is None  # no spread to judge by
    thin = mondays(["100", "104", "96", "102", "98", "101", "99", "100"], today="130")[5:]
    assert score_day(thin, MONDAY) is None  # 3 Mondays of history < 4
    assert score_day(thin, MONDAY + timedelta(days=1)) is None  # no value that day


def test_detect_checks_the_last_seven_days_only() -> None:
    as_of = date(2026, 10, 15)
    start = as_of - timedelta(days=69)  # ten weeks of days
    wiggle = [0, 4, -4, 2, -2, 1, -1, 0, 3, 2]  # by week: keeps each weekday's MAD small, not 0
    series = [(start + timedelta(days=i), D(1000 + 100 * (start + timedelta(days=i)).weekday() + wiggle[i // 7]))
              for i in range(70)]
    values = dict(series)
    values[as_of - timedelta(days=2)] += 500  # in the window: flagged
    values[as_of - timedelta(days=9)] += 500  # before the window: not reported, and as history of
    # as_of - 2 (the same weekday) the median shrugs it off
    values[as_of] -= 600  # a collapse on the day itself
    found = detect(sorted(values.items()), as_of)
    assert [s.day for s in found] == [as_of - timedelta(days=2), as_of]
    assert found[0].score > 0 > found[1].score
