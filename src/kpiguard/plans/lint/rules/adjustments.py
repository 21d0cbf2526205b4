"""PL007 an adjustment clause for force-majeure events (避坑7 设置缓冲机制).

Pitfall 7: no buffer for force majeure. Major holidays, stockouts and account suspension must
allow a temporary KPI adjustment; so should platform outages and policy changes.

Severity: **error** when there is no ``adjustments`` clause or its event list is empty: the first
stockout becomes a dispute with nothing signed to settle it. **warning** when some of the five
event types are not listed: the parties may leave one out on purpose, but should do so knowingly.
"""

from __future__ import annotations

from collections.abc import Iterator

from kpiguard.plans.lint import LintContext, PlanFinding, rule
from kpiguard.plans.lint.wording import listing
from kpiguard.plans.model import EVENT_TYPES

CODE = "PL007"
EVENT_NAMES_ZH = {"stockout": "断货", "account_suspension": "封号", "platform_outage": "平台故障",
                  "major_holiday": "重大节日", "policy_change": "平台政策变化"}


@rule(CODE)
def force_majeure_clause(ctx: LintContext) -> Iterator[PlanFinding]:
    clause = ctx.plan.adjustments
    if clause is None or not clause.events:
        yield ctx.finding(
            CODE, "error", "no force-majeure adjustment clause: stockouts, account suspension or a major holiday "
            "cannot adjust the KPIs",
            "没有不可抗力调整条款：断货、封号、重大节日等情况无法调整KPI",
            "adjustments.events" if clause is not None else "adjustments",
            "add adjustments: {events: [stockout, account_suspension, platform_outage, major_holiday, policy_change], "
            "method: exclude_days, approval: both}",
            "增加 adjustments 条款：列明断货、封号、平台故障、重大节日、平台政策变化等事件，以及调整方法和双方确认方式")
        return
    missing = [e for e in EVENT_TYPES if e not in clause.events]
    if missing:
        yield ctx.finding(
            CODE, "warning", f"the adjustment clause does not cover: {listing(missing)}",
            f"调整条款未涵盖：{listing([EVENT_NAMES_ZH[e] for e in missing], 'zh')}", "adjustments.events",
            "list every event the parties accept as force majeure, or note why one is left out",
            "列出双方认可的全部不可抗力事件，或注明某事件不列入的原因")
