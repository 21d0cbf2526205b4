"""Periods: parsing ``2026-10`` / ``2026Q4`` / ``2026-10-01..2026-10-15``, and bucketing days.

Weeks start on Monday (ISO). A bucket is clipped to the queried range, so a query from the 3rd
to the 20th by month gives one bucket from the 3rd to the 20th, never days outside the range.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

from kpiguard.errors import Finding, InputError

Grain = Literal["day", "week", "month", "quarter"]
GRAINS: tuple[str, ...] = ("day", "week", "month", "quarter")


def month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def parse_period(text: str) -> tuple[date, date]:
    """``2026-10`` (a month), ``2026Q4`` (a quarter), ``2026`` (a year) or ``A..B`` (days)."""
    value = text.strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            first = date(int(m[1]), int(m[2]), 1)
            return first, month_end(first)
        if m := re.fullmatch(r"(\d{4})-?Q([1-4])", value, re.IGNORECASE):
            first = date(int(m[1]), 3 * int(m[2]) - 2, 1)
            return first, month_end(first.replace(month=first.month + 2))
        if m := re.fullmatch(r"(\d{4})", value):
            return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", value):
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            if start <= end:
                return start, end
    except ValueError:
        pass
    raise InputError(f"{text!r} is not a period", [Finding(
        "period.invalid", f"cannot read the period {text!r}", column="--period",
        hint="use 2026-10 (month), 2026Q4 (quarter), 2026 (year) or 2026-10-01..2026-10-15")])


def bucket_start(day: date, grain: str | None, range_start: date) -> date:
    if grain is None:
        start = range_start
    elif grain == "day":
        start = day
    elif grain == "week":
        start = day - timedelta(days=day.weekday())
    elif grain == "month":
        start = day.replace(day=1)
    elif grain == "quarter":
        start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    else:
        raise ValueError(grain)
    return max(start, range_start)


def bucket_end(start: date, grain: str | None, range_end: date) -> date:
    if grain is None:
        end = range_end
    elif grain == "day":
        end = start
    elif grain == "week":
        end = start + timedelta(days=6 - start.weekday())
    elif grain == "month":
        end = month_end(start)
    else:
        q_first = date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
        end = month_end(q_first.replace(month=q_first.month + 2))
    return min(end, range_end)


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]
