"""PL012 floor, target and stretch in the order the metric's direction requires.

The scoring curve gives 60 points at the floor, 100 at the target and 120 at the stretch; it
only works when the three are ordered for the metric's direction: higher is better (GMV):
floor <= target <= stretch; lower is better (ACoS, refund rate): floor >= target >= stretch.
A reversed pair is the commonest typing slip in an ACoS line (floor 0.20, stretch 0.30).

Severity: **error**: the plan's scores would be computed backwards. Metrics the catalog does not
know are skipped (PL003 reports them).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from kpiguard.plans.lint import LintContext, PlanFinding, rule
from kpiguard.plans.lint.wording import metric_name, metric_value
from kpiguard.plans.model import Kpi

CODE = "PL012"


def _pairs(kpi: Kpi) -> list[tuple[str, Decimal, str, Decimal]]:
    """(lower label, value, upper label, value) for the present levels, in scoring order."""
    levels = [(name, value) for name, value in (("floor", kpi.floor), ("target", kpi.target), ("stretch", kpi.stretch))
              if value is not None]
    return [(a, va, b, vb) for (a, va), (b, vb) in zip(levels, levels[1:], strict=False)]


LEVEL_ZH = {"floor": "底线值", "target": "目标值", "stretch": "挑战值"}


@rule(CODE)
def levels_in_order(ctx: LintContext) -> Iterator[PlanFinding]:
    known = ctx.catalog.keys()
    for i, kpi in enumerate(ctx.plan.kpis):
        if kpi.metric not in known:
            continue
        higher = ctx.catalog.metric(kpi.metric).direction == "higher"
        for a, va, b, vb in _pairs(kpi):
            if (va > vb) if higher else (va < vb):
                sign = "<=" if higher else ">="
                word_en, word_zh = ("higher", "越高越好") if higher else ("lower", "越低越好")
                yield ctx.finding(
                    CODE, "error", f"{metric_name(kpi.metric)} ({word_en} is better) needs {a} {sign} {b}, but "
                    f"{a} is {metric_value(kpi.metric, va)} and {b} is {metric_value(kpi.metric, vb)}",
                    f"{metric_name(kpi.metric, 'zh')}{word_zh}，应满足{LEVEL_ZH[a]} {sign} {LEVEL_ZH[b]}，但"
                    f"{LEVEL_ZH[a]}为{metric_value(kpi.metric, va)}，{LEVEL_ZH[b]}为{metric_value(kpi.metric, vb)}",
                    f"kpis.{i}.{b}",
                    f"swap or correct the values: {'floor <= target <= stretch' if higher else 'floor >= target >= stretch'}",
                    f"交换或更正数值：{'底线值 ≤ 目标值 ≤ 挑战值' if higher else '底线值 ≥ 目标值 ≥ 挑战值'}")
