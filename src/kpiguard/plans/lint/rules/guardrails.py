"""PL016 guardrails that can actually gate the score (场景3 风控指标).

Scenario 3: refund and complaint rates gate the score so brushing and price dumping do not pay.
A guardrail gates only if it has a limit that can be breached: for a lower-is-better metric the
limit is a ceiling (refund_rate <= 0.05), for a higher-is-better one a floor (avg_rating >= 4.2).

Severity: **error** for a guardrail on a metric the catalog does not know, without a limit, or
with a limit outside the metric's unit (ratios are fractions: 5 on refund_rate means 500%, not
5%; ratings run 0 to 5; nothing is negative): the gate cannot be applied as written.
**warning** for a limit that can never be breached (a ceiling of 100% on a ratio, a floor of 0)
and for a consequence without its points (cap_total without cap_points, penalty without
penalty_points): the clause is signed but toothless.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from kpiguard.metrics.catalog import Metric
from kpiguard.plans.lint import LintContext, PlanFinding, rule
from kpiguard.plans.lint.wording import metric_name
from kpiguard.plans.model import Guardrail

CODE = "PL016"
UNIT_MAX = {"ratio": Decimal(1), "rating": Decimal(5)}


def _limit_problem(metric: Metric, limit: Decimal) -> tuple[str, str] | None:
    """Why ``limit`` cannot be a limit of ``metric`` (error), in English and Chinese."""
    top = UNIT_MAX.get(metric.unit)
    if limit < 0:
        return f"a limit of {limit} is negative", f"限值{limit}为负数"
    if top is not None and limit > top:
        hint = f" (did you mean {limit / 100}?)" if metric.unit == "ratio" else ""
        hint_zh = f"（是否应为 {limit / 100}？）" if metric.unit == "ratio" else ""
        return (f"a limit of {limit} is outside the {metric.unit} scale 0..{top}{hint}",
                f"限值{limit}超出{'比率' if metric.unit == 'ratio' else '评分'}范围 0..{top}{hint_zh}")
    return None


def _never_breached(metric: Metric, limit: Decimal) -> bool:
    if metric.direction == "higher":
        return limit == 0
    return metric.unit == "ratio" and limit == 1


def _guard_findings(ctx: LintContext, i: int, g: Guardrail) -> Iterator[PlanFinding]:
    name_en, name_zh, where = metric_name(g.metric), metric_name(g.metric, "zh"), f"guardrails.{i}"
    known = ctx.catalog.keys()
    if g.metric not in known:
        yield ctx.finding(CODE, "error", f"guardrail metric '{g.metric}' is not in the metric catalog",
                          f"风控指标“{g.metric}”不在指标目录中", f"{where}.metric",
                          "use a key from `kpiguard metrics list`, e.g. refund_rate", "请使用指标目录中的键名，例如 refund_rate")
        return
    metric = ctx.catalog.metric(g.metric)
    if g.limit is None:
        yield ctx.finding(CODE, "error", f"guardrail {name_en} has no limit", f"风控指标{name_zh}没有限值", f"{where}.limit",
                          "write the limit, e.g. limit: 0.05 for a 5% ceiling", "写明限值，例如 limit: 0.05 表示上限5%")
        return
    problem = _limit_problem(metric, g.limit)
    if problem:
        yield ctx.finding(CODE, "error", f"guardrail {name_en}: {problem[0]}", f"风控指标{name_zh}：{problem[1]}",
                          f"{where}.limit", "ratios are fractions: 0.05 is 5%", "比率用小数表示：0.05 即 5%")
    elif _never_breached(metric, g.limit):
        yield ctx.finding(CODE, "warning", f"guardrail {name_en}: a limit of {g.limit} can never be breached",
                          f"风控指标{name_zh}：限值{g.limit}永远不会被触发", f"{where}.limit",
                          "set a limit the team could actually breach", "设置一个实际可能被触发的限值")


def _consequence_findings(ctx: LintContext, i: int, g: Guardrail) -> Iterator[PlanFinding]:
    missing = {"cap_total": ("cap_points", g.cap_points), "penalty": ("penalty_points", g.penalty_points)}.get(g.consequence)
    if missing and missing[1] is None:
        yield ctx.finding(
            CODE, "warning", f"guardrail {metric_name(g.metric)}: consequence {g.consequence} without {missing[0]}",
            f"风控指标{metric_name(g.metric, 'zh')}：后果为 {g.consequence}，但未写明 {missing[0]}",
            f"guardrails.{i}.consequence", f"add {missing[0]}, e.g. {missing[0]}: 60",
            f"补充 {missing[0]}，例如 {missing[0]}: 60")


@rule(CODE)
def guardrails_can_gate(ctx: LintContext) -> Iterator[PlanFinding]:
    for i, guard in enumerate(ctx.plan.guardrails):
        yield from _guard_findings(ctx, i, guard)
        yield from _consequence_findings(ctx, i, guard)
