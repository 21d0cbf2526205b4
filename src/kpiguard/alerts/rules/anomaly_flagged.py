"""Rule: a day's value is far from what the store's same weekday usually does.

Runs ``alerts.anomaly.detect`` on every (store, metric) series of ``PaceReport.daily`` for the
last ``RuleConfig.anomaly_days`` days up to as_of. A sudden drop (a listing suppressed, a
stockout) and a sudden spike (a promotion, or brushing 刷单) are both worth a look, so both
directions alert; the one that is bad for the metric is a warning, the other info. Each flagged
store-day is its own problem (dedupe key carries the day).
"""

from __future__ import annotations

from decimal import Decimal

from kpiguard.alerts import anomaly, text
from kpiguard.alerts.model import Alert, Bilingual, RuleConfig
from kpiguard.metrics import catalog
from kpiguard.pacing.model import Direction, GuardrailPace, KpiPace, PaceReport

KEY = "anomaly_flagged"


def _paced(report: PaceReport, metric: str) -> KpiPace | GuardrailPace | None:
    """The plan's own line for the metric, whose unit and direction the plan fixed."""
    items: list[KpiPace | GuardrailPace] = [*report.kpis, *report.guardrails]
    return next((i for i in items if i.metric == metric), None)


def _direction(report: PaceReport, metric: str) -> Direction:
    item = _paced(report, metric)
    if item is not None:
        return item.direction
    try:
        return catalog.load().metric(metric).direction
    except KeyError:
        return "higher"


def _unit(report: PaceReport, metric: str) -> str:
    item = _paced(report, metric)
    return item.unit if item is not None else text.metric_unit(metric)


def evaluate(report: PaceReport, config: RuleConfig) -> list[Alert]:
    alerts: list[Alert] = []
    for (store, metric), series in sorted(report.daily.items()):
        found = anomaly.detect(series, report.as_of, days=config.anomaly_days, weeks=config.anomaly_weeks,
                               threshold=config.anomaly_threshold, min_points=config.anomaly_min_points)
        alerts.extend(_alert(report, store, metric, s, config.anomaly_threshold) for s in found)
    return alerts


def _alert(report: PaceReport, store: str, metric: str, s: anomaly.AnomalyScore,
           cutoff: Decimal) -> Alert:
    direction, unit = _direction(report, metric), _unit(report, metric)
    bad = (s.score < 0) == (direction == "higher")
    name = text.metric_name(metric)
    weekday = text.WEEKDAY[s.day.weekday()]
    value, usual = text.amount(s.value, unit, report.currency), text.amount(s.median, unit, report.currency)
    up = s.score > 0
    en = (f"{name.en} of store {store} on {s.day} ({weekday.en}) was {value.en}, "
          f"{'above' if up else 'below'} the usual {usual.en}: the median of the last {len(s.history)} "
          f"{weekday.en}s (robust score {text.score(s.score)}; |score| >= {cutoff} is unusual).")
    zh = (f"店铺 {store} 在 {s.day}（{weekday.zh}）的{name.zh}为 {value.zh}，{'高于' if up else '低于'}"
          f"近 {len(s.history)} 个{weekday.zh}的中位数 {usual.zh}（稳健得分 {text.score(s.score)}）。")
    return Alert(
        rule=KEY, severity="warning" if bad else "info", plan_id=report.plan_id,
        plan_version=report.version, stores=(store,), metric=metric, period_start=report.period_start,
        period_end=report.period_end, as_of=report.as_of, day=s.day,
        numbers={"value": s.value, "median": s.median, "spread": s.spread,
                 "score": s.score.quantize(Decimal("0.01")), "history_points": Decimal(len(s.history))},
        title=Bilingual(f"Unusual {name.en} at store {store} on {s.day}",
                        f"店铺 {store} {s.day} {name.zh}异常"),
        body=Bilingual(en, zh),
        dedupe_key=f"{KEY}:{report.plan_id}:{store}:{metric}:{s.day}",
    )
