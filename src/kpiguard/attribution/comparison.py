"""What a gap is measured against, and which days the "previous period" covers.

A table of effects means nothing unless the reader knows its other side, so every table carries
a ``Comparison`` that says it in both languages: the plan's target for the period, or the
previous period (the month before for a month, the quarter before for a quarter; for a run of
days that is not whole months, the same days one month earlier, e.g. 2026-10-01..2026-10-15
against 2026-09-01..2026-09-15).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from kpiguard.periods import month_end

Against = Literal["target", "previous"]


@dataclass(frozen=True)
class Comparison:
    against: Against
    start: date  # the comparison period: the previous period, or for a target the period itself
    end: date
    en: str
    zh: str

    def to_dict(self) -> dict[str, str]:
        return {"against": self.against, "start": str(self.start), "end": str(self.end), "en": self.en,
                "zh-CN": self.zh}


def whole_months(start: date, end: date) -> int | None:
    """How many calendar months [start, end] covers, or None when it is not whole months."""
    if start.day != 1 or (end + timedelta(days=1)).day != 1 or end < start:
        return None
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _month_back(day: date, months: int = 1) -> date:
    index = day.year * 12 + day.month - 1 - months
    first = date(index // 12, index % 12 + 1, 1)
    return first.replace(day=min(day.day, month_end(first).day))


def previous_range(start: date, end: date) -> tuple[date, date]:
    """The period before: as many whole months before, or the same days a month earlier."""
    months = whole_months(start, end)
    if months is not None:
        first = _month_back(start, months)
        return first, start - timedelta(days=1)
    return _month_back(start), _month_back(end)


def previous(start: date, end: date, why_en: str = "", why_zh: str = "") -> Comparison:
    p_start, p_end = previous_range(start, end)
    return Comparison("previous", p_start, p_end,
                      f"against the previous period {p_start}..{p_end}{why_en}",
                      f"对比上期 {p_start}..{p_end}{why_zh}")


def target(start: date, end: date, plan_id: str, version: int) -> Comparison:
    p_start, p_end = previous_range(start, end)
    return Comparison("target", start, end,
                      f"against the target of plan {plan_id} v{version} for {start}..{end} "
                      f"(drivers from the plan, or spread evenly from {p_start}..{p_end})",
                      f"对比方案 {plan_id} 第{version}版 {start}..{end} 的目标值"
                      f"（驱动因素取自方案，或自 {p_start}..{p_end} 的水平均匀拆解）")
