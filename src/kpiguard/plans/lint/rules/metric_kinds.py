"""PL004 process metrics mixed with result metrics without a label (避坑4 过程指标≠结果指标).

Pitfall 4: CTR and clicks are process, the sale is the result; weighting them in one pool
without saying which is which lets a team score on activity while sales fall. The catalog's
``kind`` says what each metric is; a KPI declares its own ``kind`` (result, process, quality)
to show the parties agreed to score it as such.

Flagged: a KPI without ``kind`` whose catalog kind is process, in a plan that also scores a
result; and a KPI labelled ``result`` whose catalog kind is process (CTR sold as a result).
Severity: **warning**. Scoring a process on purpose is legitimate (a new store's listing work);
what must not happen is doing it without noticing, so labelling it is enough to silence this.
"""

from __future__ import annotations

from collections.abc import Iterator

from kpiguard.plans.lint import LintContext, PlanFinding, rule
from kpiguard.plans.lint.wording import metric_name

CODE = "PL004"


def _catalog_kind(ctx: LintContext, metric: str) -> str | None:
    known = ctx.catalog.keys()
    return ctx.catalog.metric(metric).kind if metric in known else None


@rule(CODE)
def process_and_result_labelled(ctx: LintContext) -> Iterator[PlanFinding]:
    kinds = [(k, k.kind or _catalog_kind(ctx, k.metric)) for k in ctx.plan.kpis]
    results = any(kind == "result" for _, kind in kinds)
    for i, kpi in enumerate(ctx.plan.kpis):
        if _catalog_kind(ctx, kpi.metric) != "process":
            continue
        name_en, name_zh = metric_name(kpi.metric), metric_name(kpi.metric, "zh")
        if kpi.kind is None and results:
            yield ctx.finding(
                CODE, "warning", f"{name_en} is a process metric weighted with result metrics without a label",
                f"{name_zh}是过程指标，却未标注类型就与结果指标放在同一权重池中", f"kpis.{i}.metric",
                "add kind: process (or quality) to this KPI, or move it out of the weighted pool",
                "为该指标加上 kind: process（或 quality），或将其移出加权考核")
        elif kpi.kind == "result":
            yield ctx.finding(
                CODE, "warning", f"{name_en} is labelled a result, but the catalog defines it as a process metric",
                f"{name_zh}被标注为结果指标，但指标目录中它是过程指标", f"kpis.{i}.kind",
                "label it kind: process; a sale, margin or share is the result it should lead to",
                "改为 kind: process；成交、利润或占比才是它应带来的结果")
