"""Rule: a guardrail metric (风控指标) is beyond its limit, or heading there.

Already beyond the limit period to date: critical. Forecast beyond the limit, or pacing's
likelihood of ending beyond it at least ``RuleConfig.p_breach_at`` (0.5): warning. The two are
different problems with different dedupe keys, so a guardrail that goes from "trending" to
"breached" raises a new, critical alert instead of quietly updating the old warning.
"""

from __future__ import annotations

from decimal import Decimal

from kpiguard.alerts import text
from kpiguard.alerts.model import Alert, Bilingual, RuleConfig
from kpiguard.alerts.rules.direction import worse
from kpiguard.pacing.model import GuardrailPace, PaceReport

KEY = "guardrail_breach"


def evaluate(report: PaceReport, config: RuleConfig) -> list[Alert]:
    return [a for g in report.guardrails if (a := _check(report, g, config)) is not None]


def _check(report: PaceReport, g: GuardrailPace, config: RuleConfig) -> Alert | None:
    if g.limit is None:
        return None
    breached = worse(g.actual_to_date, g.limit, g.direction)
    trending = worse(g.forecast, g.limit, g.direction) or (
        g.p_breach is not None and g.p_breach >= config.p_breach_at)
    if not (breached or trending):
        return None
    level = "breached" if breached else "trending"
    name = text.metric_name(g.metric)
    if breached:
        title = Bilingual(f"{name.en} beyond its guardrail limit", text.zh_join(name.zh, "已超出风控指标限值"))
    else:
        title = Bilingual(f"{name.en} heading past its guardrail limit", text.zh_join(name.zh, "预计将超出风控指标限值"))
    return Alert(
        rule=KEY, severity="critical" if breached else "warning", plan_id=report.plan_id,
        plan_version=report.version, stores=report.stores, metric=g.metric,
        period_start=report.period_start, period_end=report.period_end, as_of=report.as_of,
        numbers={"actual_to_date": g.actual_to_date, "forecast": g.forecast, "limit": g.limit,
                 "p_breach": g.p_breach},
        title=title, body=_body(report, g, name, breached),
        dedupe_key=f"{KEY}:{report.plan_id}:{report.period_start}:{g.metric}:{level}",
    )


def _body(report: PaceReport, g: GuardrailPace, name: Bilingual, breached: bool) -> Bilingual:
    def f(v: Decimal | None) -> Bilingual:
        return text.amount(v, g.unit, report.currency)

    actual, forecast, limit, p = f(g.actual_to_date), f(g.forecast), f(g.limit), text.likelihood(g.p_breach)
    span = text.period(report.period_start, report.period_end)
    bound_en = "at most" if g.direction == "lower" else "at least"
    bound_zh = "不高于" if g.direction == "lower" else "不低于"
    if breached:
        en = (f"{name.en} is {actual.en} for {span} as of {report.as_of}; the plan's limit is "
              f"{bound_en} {limit.en}. Forecast for the whole period: {forecast.en}; likelihood of "
              f"ending beyond the limit: {p.en}.")
        zh = (f"{name.zh}（{span}）截至 {report.as_of} 为 {actual.zh}，方案限值为{bound_zh} {limit.zh}，"
              f"已超限。全周期预测 {forecast.zh}，期末超限的可能性：{p.zh}。")
    else:
        en = (f"{name.en} for {span} is forecast at {forecast.en} against a limit of {bound_en} "
              f"{limit.en} (as of {report.as_of}: {actual.en}). Likelihood of ending beyond the "
              f"limit: {p.en}.")
        zh = (f"{name.zh}（{span}）全周期预测 {forecast.zh}，方案限值为{bound_zh} {limit.zh}"
              f"（截至 {report.as_of}：{actual.zh}）。期末超限的可能性：{p.zh}。")
    return Bilingual(en, zh)
