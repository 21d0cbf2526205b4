"""The early-warning rules, one module each, registered by key.

A rule is a pure function ``(PaceReport, RuleConfig) -> list[Alert]``: no database, no clock,
so each is tested on a hand-built report. Adding a rule is one module and one line here.
"""

from __future__ import annotations

from collections.abc import Callable

from kpiguard.alerts.model import Alert, RuleConfig
from kpiguard.alerts.rules import anomaly_flagged, forecast_below_floor, guardrail_breach
from kpiguard.pacing.model import PaceReport

Rule = Callable[[PaceReport, RuleConfig], list[Alert]]

RULES: dict[str, Rule] = {
    forecast_below_floor.KEY: forecast_below_floor.evaluate,
    guardrail_breach.KEY: guardrail_breach.evaluate,
    anomaly_flagged.KEY: anomaly_flagged.evaluate,
}


def evaluate(report: PaceReport, config: RuleConfig | None = None,
             only: tuple[str, ...] | None = None) -> list[Alert]:
    """Every alert every (or each named) rule raises on the report, in registry order."""
    cfg = config or RuleConfig()
    alerts: list[Alert] = []
    for key, rule in RULES.items():
        if only is None or key in only:
            alerts.extend(rule(report, cfg))
    return alerts
