"""The previous period: the month before, the quarter before, or the same days a month earlier."""

from __future__ import annotations

from datetime import date

from kpiguard.attribution.comparison import previous_range, whole_months


def test_previous_month_quarter_and_year_end() -> None:
    assert previous_range(date(2026, 10, 1), date(2026, 10, 31)) == (date(2026, 9, 1), date(2026, 9, 30))
    assert previous_range(date(2026, 10, 1), date(2026, 12, 31)) == (date(2026, 7, 1), date(2026, 9, 30))
    assert previous_range(date(2026, 1, 1), date(2026, 1, 31)) == (date(2025, 12, 1), date(2025, 12, 31))


def test_days_shift_one_month_clipped_to_the_month_end() -> None:
    assert previous_range(date(2026, 10, 1), date(2026, 10, 15)) == (date(2026, 9, 1), date(2026, 9, 15))
    assert previous_range(date(2026, 3, 1), date(2026, 3, 30)) == (date(2026, 2, 1), date(2026, 2, 28))


def test_whole_months() -> None:
    assert whole_months(date(2026, 10, 1), date(2026, 12, 31)) == 3
    assert whole_months(date(2026, 10, 1), date(2026, 10, 15)) is None
