"""PL018 exit terms: notice and data handover (场景8 退出条款).

Scenario 8: no written terms, a dispute at exit. The document asks the contract to include exit
terms, and warns of the "data sovereignty" trap of handing the account to an agency without a
way back. An agency plan states the notice period and what is handed over (account access,
ad structure, reports, images) when the cooperation ends.

Severity: **warning**: the KPIs can be scored without them, but their absence is what turns an
exit into a dispute. In-house plans are skipped: employment terms live elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator

from kpiguard.plans.lint import LintContext, PlanFinding, rule

CODE = "PL018"


@rule(CODE)
def exit_terms_written(ctx: LintContext) -> Iterator[PlanFinding]:
    if ctx.plan.cooperation_mode == "in_house":
        return
    terms = ctx.plan.exit_terms
    if terms.notice_days is None:
        yield ctx.finding(CODE, "warning", "the exit terms give no notice period", "退出条款未约定提前通知天数",
                          "exit_terms.notice_days", "set exit_terms.notice_days, e.g. 30", "设置 exit_terms.notice_days，例如 30")
    if not (terms.data_handover.en.strip() or terms.data_handover.zh.strip()):
        yield ctx.finding(CODE, "warning", "the exit terms do not say what is handed over at the end",
                          "退出条款未约定结束时移交哪些数据和账号权限", "exit_terms.data_handover",
                          "list it: account access, ad campaigns, reports, listing images and copy",
                          "列明移交内容：账号权限、广告活动、报表、Listing图片与文案")
