"""PL001 a volume metric without profit or health metrics (避坑1 唯GMV论).

Pitfall 1: a single GMV target invites brushing (刷单) and price dumping (压价倾销); it must come
with profit and health metrics (margin, customer LTV) and guardrails (refund, complaint rate).

Severity: **error** when the plan scores volume (GMV, net sales, units, orders) and nothing else
that is healthy: no profit, margin, LTV or repeat-purchase KPI, no guardrail-kind KPI and no
guardrail. Such a plan is unsignable: it pays for exactly the behaviour the document warns of.
**warning** when guardrails exist but no profit or LTV KPI does: brushing is gated, but growth
bought with discounts and ads still scores full marks. (A mature-stage plan without profit is
reported here, not by PL011, whenever it has a volume KPI.)
"""

from __future__ import annotations

from collections.abc import Iterator

from kpiguard.plans.lint import LintContext, PlanFinding, rule
from kpiguard.plans.lint.wording import listing, metric_name

CODE = "PL001"
VOLUME = frozenset({"gmv", "net_sales", "units", "orders"})
PROFIT = frozenset({"gross_profit", "gross_margin_rate", "net_profit", "net_margin_rate", "customer_ltv"})
HEALTH = PROFIT | {"repeat_purchase_rate"}


def _healthy(ctx: LintContext, metric: str) -> bool:
    if metric in HEALTH:
        return True
    known = ctx.catalog.keys()
    return metric in known and ctx.catalog.metric(metric).kind == "guardrail"


@rule(CODE)
def volume_needs_profit(ctx: LintContext) -> Iterator[PlanFinding]:
    metrics = [k.metric for k in ctx.plan.kpis]
    volume = [m for m in metrics if m in VOLUME]
    if not volume:
        return
    where = f"kpis.{metrics.index(volume[0])}.metric"
    names_en, names_zh = listing([metric_name(m) for m in volume]), listing([metric_name(m, "zh") for m in volume], "zh")
    if not any(_healthy(ctx, m) for m in metrics) and not ctx.plan.guardrails:
        yield ctx.finding(
            CODE, "error",
            f"the plan scores volume only ({names_en}): no profit or health metric and no guardrail, "
            "so brushing and price dumping score well",
            f"方案只考核规模指标（{names_zh}），没有利润或健康度指标，也没有风控指标，刷单、降价倾销反而得高分", where,
            "add gross_margin_rate or net_profit as a KPI and guardrails such as refund_rate and complaint_rate",
            "增加毛利率（gross_margin_rate）或净利润（net_profit）指标，并设置退款率、投诉率等风控指标")
    elif not any(m in PROFIT for m in metrics):
        yield ctx.finding(
            CODE, "warning",
            f"the plan scores volume ({names_en}) without a profit or LTV metric: growth bought with discounts "
            "and ads still scores full marks",
            f"方案考核规模指标（{names_zh}）却没有利润或客户LTV指标：靠打折和广告堆出的增长照样得满分", where,
            "add gross_margin_rate, net_profit or customer_ltv with a weight",
            "增加毛利率、净利润或客户生命周期价值（LTV）指标并分配权重")
