"""Rule: a KPI is heading for a miss of its floor (底线值).

Fires when the period forecast is worse than the floor, or when pacing puts the likelihood of
reaching the floor below ``RuleConfig.p_floor_below`` (0.5: a miss is more likely than not).
Critical when even the optimistic end of the 80% forecast interval misses the floor, warning
otherwise. One open alert per plan, period and metric: a daily re-check updates it.
"""

from __future__ import annotations

from decimal import Decimal

from kpiguard.alerts import text
from kpiguard.alerts.model import Alert, Bilingual, RuleConfig, Severity
from kpiguard.alerts.rules.direction import side, worse
from kpiguard.pacing.model import KpiPace, PaceReport

KEY = "forecast_below_floor"


def evaluate(report: PaceReport, config: RuleConfig) -> list[Alert]:
    return [a for k in report.kpis if (a := _check(report, k, config)) is not None]


def _check(report: PaceReport, k: KpiPace, config: RuleConfig) -> Alert | None:
    if k.floor is None:
        return None
    below = worse(k.forecast, k.floor, k.direction)
    unlikely = k.p_floor is not None and k.p_floor < config.p_floor_below
    if not (below or unlikely):
        return None
    optimistic = k.forecast_high if k.direction == "higher" else k.forecast_low
    severity: Severity = "critical" if worse(optimistic, k.floor, k.direction) else "warning"
    name = text.metric_name(k.metric)
    title = Bilingual(f"{name.en} forecast {side(k.direction).en} floor",
                      text.zh_join(name.zh, f"预测{side(k.direction).zh}底线值"))
    return Alert(
        rule=KEY, severity=severity, plan_id=report.plan_id, plan_version=report.version,
        stores=report.stores, metric=k.metric, period_start=report.period_start,
        period_end=report.period_end, as_of=report.as_of,
        numbers={"forecast": k.forecast, "forecast_low": k.forecast_low, "forecast_high": k.forecast_high,
                 "floor": k.floor, "target": k.target, "p_floor": k.p_floor, "p_target": k.p_target,
                 "actual_to_date": k.actual_to_date, "expected_to_date": k.expected_to_date,
                 "weekly_needed": k.weekly_needed},
        title=title, body=_body(report, k, name),
        dedupe_key=f"{KEY}:{report.plan_id}:{report.period_start}:{k.metric}",
    )


def _body(report: PaceReport, k: KpiPace, name: Bilingual) -> Bilingual:
    def f(v: Decimal | None) -> Bilingual:
        return text.amount(v, k.unit, report.currency)

    fc, lo, hi, floor, target = f(k.forecast), f(k.forecast_low), f(k.forecast_high), f(k.floor), f(k.target)
    actual, expected, needed = f(k.actual_to_date), f(k.expected_to_date), f(k.weekly_needed)
    p = text.likelihood(k.p_floor)
    span = text.period(report.period_start, report.period_end)
    additive = k.unit in ("money", "count")
    need_en = f"{needed.en} a week" if additive else f"a rate of {needed.en}"
    need_zh = f"每周 {needed.zh}" if additive else f"达到 {needed.zh}"
    en = (f"{name.en} for {span} is forecast at {fc.en} (80% interval {lo.en} to {hi.en}), "
          f"floor {floor.en}, target {target.en}. Likelihood of reaching the floor: {p.en}. "
          f"To date (as of {report.as_of}): {actual.en} against {expected.en} expected. "
          f"Needed from now on to reach the target: {need_en}.")
    zh = (f"{name.zh}（{span}）预测为 {fc.zh}（80%区间 {lo.zh} 至 {hi.zh}），底线值 {floor.zh}，"
          f"目标值 {target.zh}。达到底线值的可能性：{p.zh}。截至 {report.as_of} 实际 {actual.zh}，"
          f"按进度应为 {expected.zh}。此后要达到目标值需{need_zh}。")
    return Bilingual(en, zh)
