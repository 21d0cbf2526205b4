"""PL019 contract terms written in both languages (中英文条款).

Sellers and agencies here read Chinese, English or both; the signed plan is exported in either
language, so a term written in one language only leaves one party reading a blank. The model
lets either side be empty while drafting (``model.Text``); this rule lists what is missing.

Severity: **info**: two parties who share a language may sign a one-language plan knowingly.
"""

from __future__ import annotations

from collections.abc import Iterator

from kpiguard.plans.lint import LintContext, PlanFinding, rule
from kpiguard.plans.model import Text

CODE = "PL019"


def _texts(ctx: LintContext) -> Iterator[tuple[str, Text]]:
    plan = ctx.plan
    yield "title", plan.title
    yield "exit_terms.data_handover", plan.exit_terms.data_handover
    yield "exit_terms.early_exit", plan.exit_terms.early_exit
    yield "raw_data_access.how", plan.raw_data_access.how
    for i, kpi in enumerate(plan.kpis):
        yield f"kpis.{i}.note", kpi.note
    for i, text in enumerate(plan.targets_text):
        yield f"targets_text.{i}", text


@rule(CODE)
def both_languages(ctx: LintContext) -> Iterator[PlanFinding]:
    for where, text in _texts(ctx):
        has_en, has_zh = bool(text.en.strip()), bool(text.zh.strip())
        if has_en != has_zh:
            missing_en, missing_zh = ("Chinese", "中文") if has_en else ("English", "英文")
            yield ctx.finding(CODE, "info", f"{where} has no {missing_en} text", f"{where} 缺少{missing_zh}文本", where,
                              f"add the {missing_en} wording ({'zh-CN' if has_en else 'en'}:)",
                              f"补充{missing_zh}表述（{'zh-CN' if has_en else 'en'}:）")
