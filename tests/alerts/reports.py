"""Hand-built PaceReports: the alerts rules are tested on these, not on pacing's output."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kpiguard.pacing.model import Direction, GuardrailPace, KpiPace, PaceReport

D = Decimal


def kpi(metric: str = "gmv", *, unit: str = "money", direction: Direction = "higher",
        forecast: str | None = "95000", low: str | None = "90000", high: str | None = "100000",
        floor: str | None = "90000", target: str | None = "100000", stretch: str | None = "120000",
        p_floor: str | None = "0.8", p_target: str | None = "0.4", actual: str | None = "45000",
        expected: str | None = "48000", weekly: str | None = "13750") -> KpiPace:
    def d(v: str | None) -> Decimal | None:
        return None if v is None else D(v)

    return KpiPace(metric=metric, unit=unit, direction=direction, owner="operations",
                   actual_to_date=d(actual), expected_to_date=d(expected), forecast=d(forecast),
                   forecast_low=d(low), forecast_high=d(high), floor=d(floor), target=d(target),
                   stretch=d(stretch), p_floor=d(p_floor), p_target=d(p_target), weekly_needed=d(weekly),
                   status="on_track")


def guardrail(metric: str = "refund_rate", *, limit: str | None = "0.05", actual: str | None = "0.04",
              forecast: str | None = "0.045", p_breach: str | None = "0.3", unit: str = "ratio",
              direction: Direction = "lower") -> GuardrailPace:
    def d(v: str | None) -> Decimal | None:
        return None if v is None else D(v)

    return GuardrailPace(metric=metric, unit=unit, direction=direction, limit=d(limit),
                         actual_to_date=d(actual), forecast=d(forecast), p_breach=d(p_breach))


def report(kpis: list[KpiPace] | None = None, guardrails: list[GuardrailPace] | None = None,
           daily: dict[tuple[str, str], list[tuple[date, Decimal]]] | None = None,
           as_of: date = date(2026, 10, 15), plan_id: str = "shop-us-2026-10") -> PaceReport:
    return PaceReport(plan_id=plan_id, version=1, as_of=as_of, period_start=date(2026, 10, 1),
                      period_end=date(2026, 10, 31), currency="USD", stores=("shop-us",),
                      kpis=kpis or [], guardrails=guardrails or [], daily=daily or {})
