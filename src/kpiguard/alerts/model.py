"""What an alert is: the rule that fired, on what, the numbers behind it, in both languages.

An alert is a finding about a plan on a day. Its ``dedupe_key`` names the *problem*, not the
day it was seen: the same KPI below its floor on the 10th and on the 11th is one open alert seen
twice, so the inbox and the robots are not flooded by a daily check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

Severity = Literal["info", "warning", "critical"]
SEVERITY_RANK: dict[str, int] = {"critical": 0, "warning": 1, "info": 2}
AlertStatus = Literal["open", "acknowledged"]


@dataclass(frozen=True)
class Bilingual:
    """A text a person reads, in English and zh-CN (the project's two UI languages)."""

    en: str
    zh: str

    def get(self, lang: str) -> str:
        return self.zh if lang.lower().startswith("zh") else self.en


@dataclass(frozen=True)
class RuleConfig:
    """Thresholds of the rules; defaults are what the brief and the literature suggest.

    ``anomaly_threshold`` 3.5 is Iglewicz and Hoaglin's cut-off for the modified z-score.
    """

    p_floor_below: Decimal = Decimal("0.5")  # alert when the floor is less likely than this
    p_breach_at: Decimal = Decimal("0.5")  # alert when a breach is at least this likely
    anomaly_threshold: Decimal = Decimal("3.5")
    anomaly_weeks: int = 8  # same-weekday history: this many weeks before the day
    anomaly_days: int = 7  # days up to as_of that are checked
    anomaly_min_points: int = 4  # fewer same-weekday values than this: not judged


@dataclass(frozen=True)
class Alert:
    """One rule's finding, before it is stored."""

    rule: str
    severity: Severity
    plan_id: str
    plan_version: int
    stores: tuple[str, ...]
    metric: str
    period_start: date
    period_end: date
    as_of: date
    numbers: dict[str, Decimal | None]
    title: Bilingual
    body: Bilingual
    dedupe_key: str
    day: date | None = None  # the day a daily anomaly is about

    def numbers_json(self) -> dict[str, str | None]:
        """Decimal strings, exact (never float), for JSON and the ledger."""
        return {k: (None if v is None else str(v)) for k, v in self.numbers.items()}


@dataclass(frozen=True)
class StoredAlert:
    """An alert as the inbox holds it."""

    alert_id: int
    alert: Alert
    status: AlertStatus
    seen_count: int
    first_seen_utc: datetime
    last_seen_utc: datetime
    acknowledged_by: str | None = None
    acknowledged_at_utc: datetime | None = None
    deliveries: dict[str, str] = field(default_factory=dict)  # webhook name -> status

    def to_dict(self) -> dict[str, object]:
        a = self.alert
        return {
            "id": self.alert_id, "rule": a.rule, "severity": a.severity, "status": self.status,
            "plan_id": a.plan_id, "plan_version": a.plan_version, "stores": list(a.stores),
            "metric": a.metric, "period": {"start": a.period_start.isoformat(), "end": a.period_end.isoformat()},
            "as_of": a.as_of.isoformat(), "day": a.day.isoformat() if a.day else None,
            "numbers": a.numbers_json(), "title": {"en": a.title.en, "zh-CN": a.title.zh},
            "body": {"en": a.body.en, "zh-CN": a.body.zh}, "dedupe_key": a.dedupe_key,
            "count": self.seen_count, "first_seen_utc": self.first_seen_utc.isoformat(),
            "last_seen_utc": self.last_seen_utc.isoformat(), "acknowledged_by": self.acknowledged_by,
            "acknowledged_at_utc": self.acknowledged_at_utc.isoformat() if self.acknowledged_at_utc else None,
            "deliveries": dict(self.deliveries),
        }
