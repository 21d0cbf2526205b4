"""PL010 a KPI on the quality of the work, not only its numbers (避坑10 关注过程动作质量).

Pitfall 10: a KPI is not only a number; check the quality of the work: listing optimisation,
ad structure, responses to reviews. A plan declares such a KPI with ``kind: quality`` (e.g.
average rating owned by customer service, CTR as ad-structure quality).

Severity: **warning**: quality is judged at the monthly review too, so a plan without a quality
KPI can still be signed, but problems will then be found late.
"""

from __future__ import annotations

from collections.abc import Iterator

from kpiguard.plans.lint import LintContext, PlanFinding, rule

CODE = "PL010"


@rule(CODE)
def quality_of_work(ctx: LintContext) -> Iterator[PlanFinding]:
    if ctx.plan.kpis and not any(k.kind == "quality" for k in ctx.plan.kpis):
        yield ctx.finding(
            CODE, "warning", "no KPI checks the quality of the work (listing optimisation, ad structure, review responses)",
            "没有考核执行质量的指标（Listing优化、广告结构、评价回复）", "kpis",
            "add a KPI with kind: quality, e.g. avg_rating owned by customer_service",
            "增加 kind: quality 的指标，例如由客服负责的平均评分（avg_rating）")
