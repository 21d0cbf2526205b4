"""PL011 KPIs that fit the store's stage (场景4 新店被要求成熟店的GMV).

Scenario 4 and the document's "most overlooked point": a new store judged by a mature store's
KPIs. A new store should weigh sell-through (动销率) and review progress (测评进度); a mature
store should be judged on profit.

Flagged: stage ``new`` with more than 50% of the weight on mature-store metrics (GMV, net sales,
profit, LTV, repeat purchase) and no sell-through or review-progress KPI; stage ``mature`` with
no margin or profit KPI. The latter is left to PL001 when PL001 already reports the plan's
volume KPIs without profit, so one gap is reported once.
Severity: **warning**: the stage is a judgement the parties make; the linter points out the
mismatch but a store relaunched under a known brand may deserve mature targets.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from kpiguard.plans.lint import LintContext, PlanFinding, rule
from kpiguard.plans.lint.rules.volume_only import PROFIT, VOLUME

CODE = "PL011"
MATURE_METRICS = frozenset({"gmv", "net_sales", "net_profit", "gross_profit", "customer_ltv", "repeat_purchase_rate"})
NEW_STORE_METRICS = frozenset({"sell_through_rate", "review_count_gain"})
MARGIN = frozenset({"gross_profit", "gross_margin_rate", "net_profit", "net_margin_rate"})
HALF = Decimal(50)


def _new_store(ctx: LintContext) -> Iterator[PlanFinding]:
    metrics = {k.metric for k in ctx.plan.kpis}
    weight = sum((k.weight for k in ctx.plan.kpis if k.metric in MATURE_METRICS), Decimal(0))
    if weight > HALF and not metrics & NEW_STORE_METRICS:
        yield ctx.finding(
            CODE, "warning", f"a new store is weighted {weight}% on mature-store metrics (GMV, profit, LTV) "
            "and has no sell-through or review-progress KPI",
            f"新店期方案有{weight}%的权重放在成熟店指标（GMV、利润、LTV）上，且没有动销率或测评进度指标", "stage",
            "for a new store weigh sell_through_rate and review_count_gain, and keep GMV at 50% or less",
            "新店期应侧重动销率（sell_through_rate）和测评进度（review_count_gain），GMV等成熟店指标权重不超过50%")


def _mature_store(ctx: LintContext) -> Iterator[PlanFinding]:
    metrics = {k.metric for k in ctx.plan.kpis}
    reported_by_pl001 = bool(metrics & VOLUME) and not metrics & PROFIT
    if not metrics & MARGIN and not reported_by_pl001:
        yield ctx.finding(
            CODE, "warning", "a mature store's plan has no margin or profit KPI",
            "成熟期店铺的方案没有毛利率或利润指标", "stage",
            "add gross_margin_rate or net_profit; a mature store is judged on what it earns",
            "增加毛利率（gross_margin_rate）或净利润（net_profit）指标，成熟期应考核盈利")


@rule(CODE)
def kpis_fit_stage(ctx: LintContext) -> Iterator[PlanFinding]:
    if ctx.plan.stage == "new":
        yield from _new_store(ctx)
    elif ctx.plan.stage == "mature" and ctx.plan.kpis:
        yield from _mature_store(ctx)
