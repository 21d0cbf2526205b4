"""PL015 each metric once among the KPIs (and once among the guardrails).

A metric listed twice gets two targets and two weights: which one is scored? Usually a copy
and paste left in place, sometimes an attempt to weigh GMV twice in disguise.

Severity: **error**, at every repeat after the first: the scoring is ambiguous.
"""

from __future__ import annotations

from collections.abc import Iterator

from kpiguard.plans.lint import LintContext, PlanFinding, rule
from kpiguard.plans.lint.wording import metric_name

CODE = "PL015"


def _repeats(metrics: list[str]) -> Iterator[tuple[int, int]]:
    """(index of a repeat, index of the first occurrence)."""
    first: dict[str, int] = {}
    for i, metric in enumerate(metrics):
        if metric in first:
            yield i, first[metric]
        else:
            first[metric] = i


@rule(CODE)
def metrics_listed_once(ctx: LintContext) -> Iterator[PlanFinding]:
    for section, items in (("kpis", [k.metric for k in ctx.plan.kpis]),
                           ("guardrails", [g.metric for g in ctx.plan.guardrails])):
        for i, j in _repeats(items):
            first_line = ctx.locations.line(f"{section}.{j}.metric")
            yield ctx.finding(
                CODE, "error", f"{metric_name(items[i])} is listed twice in {section} (first at line {first_line})",
                f"{metric_name(items[i], 'zh')}在{'考核指标' if section == 'kpis' else '风控指标'}中重复出现"
                f"（首次在第{first_line}行）", f"{section}.{i}.metric",
                "keep one line per metric and merge the weights", "每个指标只保留一行，并合并权重")
