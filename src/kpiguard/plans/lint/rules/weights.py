"""PL013 weights must sum to 100% (权重合计须为100%)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from kpiguard.plans.lint import LintContext, PlanFinding, rule


@rule("PL013")
def weights_sum_to_100(ctx: LintContext) -> Iterator[PlanFinding]:
    kpis = ctx.plan.kpis
    if not kpis:
        return
    total = sum((k.weight for k in kpis), Decimal(0))
    if total != 100:
        yield ctx.finding(
            "PL013", "error",
            f"KPI weights sum to {total}%, not 100%", f"KPI权重合计为{total}%，不是100%", "kpis",
            "adjust the weights so that they add up to 100", "调整各指标权重，使合计为100")
