"""PL006 every KPI has an owner role, and work that depends on another role says so (避坑6).

Pitfall 6: unclear responsibility across roles; the document's example is the designer's late
listing images slowing a new product's sell-through, which operations should not carry alone.

Severity: **error** for a KPI without an owner: nobody can be scored on it. **warning** for a
KPI owned by operations on sell-through, conversion or review progress (metrics that need the
designer's images and A+ content) when the plan declares no dependency on design anywhere: the
miss will be argued about later. **warning** for a guardrail without an owner: the gate still
works, but nobody is asked to keep it.
"""

from __future__ import annotations

from collections.abc import Iterator

from kpiguard.plans.lint import LintContext, PlanFinding, rule
from kpiguard.plans.lint.wording import metric_name

CODE = "PL006"
NEEDS_DESIGN = frozenset({"sell_through_rate", "cvr", "review_count_gain"})


def _design_declared(ctx: LintContext) -> bool:
    return any(d.role == "design" for k in ctx.plan.kpis for d in k.depends_on)


@rule(CODE)
def owners_and_dependencies(ctx: LintContext) -> Iterator[PlanFinding]:
    design = _design_declared(ctx)
    for i, kpi in enumerate(ctx.plan.kpis):
        name_en, name_zh = metric_name(kpi.metric), metric_name(kpi.metric, "zh")
        if kpi.owner is None:
            yield ctx.finding(
                CODE, "error", f"{name_en} has no owner role", f"{name_zh}没有责任岗位", f"kpis.{i}.owner",
                "set owner: operations, advertising, design, customer_service or supply_chain",
                "设置责任岗位 owner：operations（运营）、advertising（广告）、design（美工）、"
                "customer_service（客服）或 supply_chain（供应链）")
        elif kpi.owner == "operations" and kpi.metric in NEEDS_DESIGN and not design:
            yield ctx.finding(
                CODE, "warning", f"{name_en} is owned by operations but depends on design's listing images; "
                "no dependency on design is declared",
                f"{name_zh}由运营负责，但依赖美工的Listing图片，方案中未声明对美工的依赖", f"kpis.{i}.owner",
                "add depends_on: [{role: design, deliverable: listing images, due: ...}] so late work is not blamed on operations",
                "增加 depends_on（role: design，交付物：Listing图片，截止日期），美工延误时不由运营单独背锅")
    for i, guard in enumerate(ctx.plan.guardrails):
        if guard.owner is None:
            yield ctx.finding(
                CODE, "warning", f"guardrail {metric_name(guard.metric)} has no owner role",
                f"风控指标{metric_name(guard.metric, 'zh')}没有责任岗位", f"guardrails.{i}.owner",
                "name the role that keeps it, e.g. owner: customer_service", "指定负责的岗位，例如 owner: customer_service")
