"""PL017 consequences and incentives that can be settled (未达标处理机制与奖励).

The document asks the contract to state what happens below target (未达标处理机制) and how a
bonus or commission is paid. A settlement needs complete terms: bonus tiers are shares of a
pool, so tiers without a pool pay nothing, and a pool without tiers has no rule; a higher tier
must not pay less than a lower one; percentages run 0..100.

Severity: **warning**: the KPIs can still be scored and the plan signed, but settlement will need
a side agreement, and "the score changes nothing" (no fee step, no bonus, no commission) is
worth a second look rather than a veto (a coaching contract may be scored for information).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from kpiguard.plans.lint import LintContext, PlanFinding, rule

CODE = "PL017"
HUNDRED = Decimal(100)


def _pool_and_tiers(ctx: LintContext) -> Iterator[PlanFinding]:
    inc = ctx.plan.incentives
    if inc.tiers and inc.bonus_pool <= 0:
        yield ctx.finding(CODE, "warning", "bonus tiers are set but the bonus pool is 0: the tiers pay nothing",
                          "设置了奖金档位，但奖金池为0：档位无法兑现", "incentives.tiers",
                          "set incentives.bonus_pool to the amount the tiers share", "设置 incentives.bonus_pool（档位分配的奖金总额）")
    if inc.bonus_pool > 0 and not inc.tiers:
        yield ctx.finding(CODE, "warning", f"a bonus pool of {inc.bonus_pool} has no tiers saying which score earns what",
                          f"奖金池{inc.bonus_pool}没有档位，未约定何种得分可得多少", "incentives.bonus_pool",
                          "add tiers, e.g. [{min_score: 80, bonus_pct: 50}, {min_score: 100, bonus_pct: 100}]",
                          "增加档位，例如得分80发放50%，得分100发放100%")
    ordered = sorted(enumerate(inc.tiers), key=lambda t: t[1].min_score)
    for (_, low), (j, high) in zip(ordered, ordered[1:], strict=False):
        if high.bonus_pct < low.bonus_pct:
            yield ctx.finding(CODE, "warning", f"a score of {high.min_score} pays {high.bonus_pct}% of the pool, "
                              f"less than {low.bonus_pct}% at {low.min_score}",
                              f"得分{high.min_score}发放奖金池的{high.bonus_pct}%，低于得分{low.min_score}的{low.bonus_pct}%",
                              f"incentives.tiers.{j}.bonus_pct", "a higher score must not pay less", "得分越高，奖金不应越少")


def _percentages(ctx: LintContext) -> Iterator[PlanFinding]:
    values = [(f"incentives.tiers.{i}.bonus_pct", t.bonus_pct) for i, t in enumerate(ctx.plan.incentives.tiers)]
    values += [(f"consequences.{i}.fee_reduction_pct", c.fee_reduction_pct) for i, c in enumerate(ctx.plan.consequences)]
    for where, value in values:
        if not 0 <= value <= HUNDRED:
            yield ctx.finding(CODE, "warning", f"{value}% is outside 0..100", f"{value}% 超出 0..100 的范围", where,
                              "percentages are of the pool or the fee, from 0 to 100", "百分比以奖金池或服务费为基数，取值0到100")


@rule(CODE)
def settlement_terms(ctx: LintContext) -> Iterator[PlanFinding]:
    plan = ctx.plan
    if not plan.consequences and not plan.incentives.tiers and plan.incentives.commission is None:
        yield ctx.finding(CODE, "warning", "the score changes nothing: no fee reduction below target, no bonus, no commission",
                          "得分不影响任何结算：未达标无服务费扣减，也没有奖金或提成", "consequences",
                          "add consequences (fee steps below a score) and/or incentives (bonus tiers, commission)",
                          "增加未达标处理（按得分扣减服务费）和/或激励（奖金档位、提成）")
    yield from _pool_and_tiers(ctx)
    yield from _percentages(ctx)
