"""What pacing (进度追踪) reports for a plan on a day: the contract between pacing and alerts.

``kpiguard pace`` fills these; the early-warning rules (``kpiguard.alerts``) read them. Values are
Decimal in the plan's currency (money) or fractions (ratios), never float. Probabilities are
fractions in [0, 1]. ``None`` means "cannot be known" (no data yet, no target set), never zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

Direction = Literal["higher", "lower"]
PaceStatus = Literal["ahead", "on_track", "behind", "at_risk", "unknown"]


@dataclass(frozen=True)
class KpiPace:
    """One KPI of the plan, period to date, with where it is heading."""

    metric: str
    unit: str  # money | count | ratio | days ... as in the metric catalog
    direction: Direction
    owner: str | None
    actual_to_date: Decimal | None  # the metric over period start .. as_of
    expected_to_date: Decimal | None  # what the target implies by as_of, from the store's own shape
    forecast: Decimal | None  # the metric over the whole period, as forecast
    forecast_low: Decimal | None  # 80% interval
    forecast_high: Decimal | None
    floor: Decimal | None
    target: Decimal | None
    stretch: Decimal | None
    p_floor: Decimal | None  # likelihood of ending at or better than the floor
    p_target: Decimal | None
    weekly_needed: Decimal | None  # additive: per remaining week to reach target; ratio: the rate needed
    status: PaceStatus
    # added by pacing (defaults keep the contract's constructor as it was)
    expected_share: Decimal | None = None  # additive: share of the period's expected volume up to as_of
    method: str = ""  # additive | ratio | formula | not_paced (measures that do not add up by day) | unknown_metric
    interval_method: str = ""  # forecast_errors | day_to_day | complete | none
    shape: str = ""  # the daily shape used: weekday+last_year | weekday | last_year | calendar (comma-joined)
    note: str = ""  # why a figure is None, "English / 中文"


@dataclass(frozen=True)
class GuardrailPace:
    """A guardrail metric to date and forecast against its limit (lower is better unless stated)."""

    metric: str
    unit: str
    direction: Direction
    limit: Decimal | None
    actual_to_date: Decimal | None
    forecast: Decimal | None
    p_breach: Decimal | None  # likelihood the period ends beyond the limit
    # added by pacing
    forecast_low: Decimal | None = None  # 80% interval
    forecast_high: Decimal | None = None
    consequence: str = ""  # as the plan says: cap_total | void_bonus | penalty
    owner: str | None = None
    interval_method: str = ""
    note: str = ""


@dataclass(frozen=True)
class PaceReport:
    plan_id: str
    version: int
    as_of: date
    period_start: date
    period_end: date
    currency: str
    stores: tuple[str, ...]
    kpis: list[KpiPace] = field(default_factory=list)
    guardrails: list[GuardrailPace] = field(default_factory=list)
    # trailing daily values per (store, metric) for anomaly detection: at least 8 weeks before as_of
    daily: dict[tuple[str, str], list[tuple[date, Decimal]]] = field(default_factory=dict)
    # added by pacing
    plan_status: str = ""  # status of the version paced: the binding (signed/active/closed) one if any
    definition_set: str = ""
    days_elapsed: int = 0  # days of the period up to and including as_of
    days_total: int = 0
    data_through: dict[str, date | None] = field(default_factory=dict)  # per store: last day with orders
