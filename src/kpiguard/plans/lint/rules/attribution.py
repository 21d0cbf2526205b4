"""PL005 ad metrics without an agreed attribution rule (避坑5 广告订单归属).

Pitfall 5: who do the orders an ad produced belong to, and within which window? ACoS, ROAS,
ad sales and organic share all depend on it (7 vs 14 days, click vs view, which campaigns);
spend-side metrics (CPC, CTR, TACoS, ad spend) depend on which campaigns and accounts count.
A KPI on any of them must say the rule in ``attribution`` (e.g. "SP 7 days, SB/SD 14 days
after the click, as in standard@1, all campaigns of the store").

Severity: **error**: the number is undefined until the rule is written, and this is the
document's named source of disputes over data ownership.
"""

from __future__ import annotations

from collections.abc import Iterator

from kpiguard.plans.lint import LintContext, PlanFinding, rule
from kpiguard.plans.lint.wording import metric_name

CODE = "PL005"
AD_METRICS = frozenset({"acos", "roas", "tacos", "ad_sales", "ad_orders", "ad_spend", "cpc", "ctr", "clicks",
                        "impressions", "organic_sales_share"})


@rule(CODE)
def ad_metrics_need_attribution(ctx: LintContext) -> Iterator[PlanFinding]:
    for i, kpi in enumerate(ctx.plan.kpis):
        if kpi.metric in AD_METRICS and not kpi.attribution.strip():
            yield ctx.finding(
                CODE, "error", f"{metric_name(kpi.metric)} depends on ad attribution, but no attribution rule is agreed",
                f"{metric_name(kpi.metric, 'zh')}取决于广告归因，但未约定归因规则", f"kpis.{i}.attribution",
                "write e.g. attribution: 'SP 7 days, SB/SD 14 days after the click (standard@1), all campaigns'",
                "写明归因规则，例如 attribution: '点击后SP 7天、SB/SD 14天（standard@1口径），计入店铺全部广告活动'")
