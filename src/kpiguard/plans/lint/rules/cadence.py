"""PL008 a formal review at least monthly (避坑8 至少每月复盘).

Pitfall 8 and scenario 7: a quarterly review finds the target long lost. The document asks for
a formal review meeting at least once a month.

Severity: **error** for a quarterly review cadence: pacing and early warnings only help if someone
meets to act on them. (A quarterly *scoring* period with a monthly review is fine.)
"""

from __future__ import annotations

from collections.abc import Iterator

from kpiguard.plans.lint import LintContext, PlanFinding, rule

CODE = "PL008"


@rule(CODE)
def review_at_least_monthly(ctx: LintContext) -> Iterator[PlanFinding]:
    if ctx.plan.review_cadence == "quarterly":
        yield ctx.finding(
            CODE, "error", "the review cadence is quarterly: a target can be lost for months before anyone reviews it",
            "复盘周期为季度：目标偏离数月后才会被发现", "review_cadence",
            "set review_cadence: monthly (or weekly); the scoring period may stay quarterly",
            "将复盘周期设为 monthly（或 weekly）；考核周期可以仍为季度")
