"""``kpiguard alerts check``: pacing, then the rules, the inbox and the webhooks, in that order.

``run`` takes a ``PaceReport`` already made (tests hand-build one); ``check`` asks pacing for it.
The inbox is written before anything is sent, so an alert exists (and is in the ledger) even if
every robot is down; delivery failures are recorded, never raised.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import UTC, date, datetime

from kpiguard.alerts import delivery, inbox, rules
from kpiguard.alerts.delivery import DeliveryReport
from kpiguard.alerts.inbox import RecordResult
from kpiguard.alerts.model import Alert, RuleConfig
from kpiguard.alerts.transport import RetryPolicy
from kpiguard.errors import Finding, InternalError, UserError
from kpiguard.pacing.model import PaceReport
from kpiguard.workspace import Workspace


@dataclass(frozen=True)
class CheckResult:
    report: PaceReport
    alerts: list[Alert]
    recorded: RecordResult
    delivery: DeliveryReport

    def to_dict(self) -> dict[str, object]:
        return {
            "plan_id": self.report.plan_id, "version": self.report.version,
            "as_of": self.report.as_of.isoformat(),
            "period": {"start": self.report.period_start.isoformat(), "end": self.report.period_end.isoformat()},
            "alerts": [{"rule": a.rule, "severity": a.severity, "metric": a.metric, "stores": list(a.stores),
                        "day": a.day.isoformat() if a.day else None, "title": {"en": a.title.en, "zh-CN": a.title.zh},
                        "numbers": a.numbers_json(), "dedupe_key": a.dedupe_key} for a in self.alerts],
            "created": self.recorded.created, "updated": self.recorded.updated,
            "delivery": self.delivery.to_dict(),
        }


def run(ws: Workspace, report: PaceReport, actor: str, now: datetime | None = None,
        config: RuleConfig | None = None, policy: RetryPolicy | None = None) -> CheckResult:
    """Rules over ``report``, alerts into the inbox, open alerts of the plan to every webhook."""
    at = now or datetime.now(UTC)
    alerts = rules.evaluate(report, config)
    recorded = inbox.record(ws, alerts, actor, at)
    sent = delivery.deliver(ws, at, plan_id=report.plan_id, policy=policy)
    return CheckResult(report, alerts, recorded, sent)


def check(ws: Workspace, plan_id: str, as_of: date, actor: str, now: datetime | None = None,
          config: RuleConfig | None = None, policy: RetryPolicy | None = None) -> CheckResult:
    """Pace the plan on ``as_of`` and run the early-warning chain on the result."""
    # looked up when called: pacing is a sibling capability, and heavy to import for `alerts list`
    pace = getattr(importlib.import_module("kpiguard.pacing"), "pace", None)
    if pace is None:
        raise UserError("pacing is not available in this installation / 进度追踪不可用", [Finding(
            "alerts.pacing", "kpiguard.pacing has no pace() function",
            hint="install a kpiguard build that includes pacing (kpiguard pace --help)")])
    report = pace(ws, plan_id, as_of)
    if not isinstance(report, PaceReport):
        raise InternalError(f"pacing returned {type(report).__name__}, not a PaceReport")
    return run(ws, report, actor, now, config, policy)
