"""The KPI plan (考核方案) as a contract: every term a seller and an agency sign.

A plan is written in YAML (see docs/plans.md and the templates); this module is its schema. It
is deliberately permissive about *content* (a plan with no adjustment clause still loads) and
strict about *shape* (a misspelt key is an error): the linter (``plans/lint``) judges content and
reports every pitfall at once, while loading fails only on what cannot be read at all. Numbers
are Decimal strings; weights are percentages that should sum to 100.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["operations", "advertising", "design", "customer_service", "supply_chain"]
Stage = Literal["new", "growth", "mature"]
Mode = Literal["full_service", "coaching", "training", "in_house"]
Goal = Literal["fast_growth", "hero_product", "profit", "compliance_stability"]
Cadence = Literal["weekly", "monthly", "quarterly"]
EventType = Literal["stockout", "account_suspension", "platform_outage", "major_holiday", "policy_change"]

ROLES: tuple[str, ...] = ("operations", "advertising", "design", "customer_service", "supply_chain")
EVENT_TYPES: tuple[str, ...] = ("stockout", "account_suspension", "platform_outage", "major_holiday", "policy_change")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Text(Strict):
    """A term in both languages; either may be empty while drafting (the linter says so)."""

    en: str = ""
    zh: str = Field("", alias="zh-CN")


class Party(Strict):
    name: str
    kind: Literal["seller", "agency", "in_house"]
    contact: str = ""


class Dependency(Strict):
    """Work this KPI's owner needs from another role, by a date (e.g. listing images from design)."""

    role: Role
    deliverable: str
    due: date | None = None
    clause: Literal["exclude_late_days", "shift_to_dependency", "note_only"] = "exclude_late_days"


class Kpi(Strict):
    metric: str
    target: Decimal | None = None
    floor: Decimal | None = None
    stretch: Decimal | None = None
    weight: Decimal = Decimal(0)
    owner: Role | None = None
    data_source: str = ""
    kind: Literal["result", "process", "quality"] | None = None
    attribution: str = ""  # for ad metrics: the attribution rule agreed (the set's window is the default)
    depends_on: list[Dependency] = Field(default_factory=list)
    note: Text = Field(default_factory=Text)
    suggested: bool = False  # targets proposed by `plan new` from history; to be confirmed


class Guardrail(Strict):
    metric: str
    limit: Decimal | None = None
    consequence: Literal["cap_total", "void_bonus", "penalty"] = "cap_total"
    cap_points: Decimal | None = None  # with cap_total: the highest total score allowed
    penalty_points: Decimal | None = None  # with penalty: points deducted
    owner: Role | None = None


class AdjustmentClause(Strict):
    events: list[EventType] = Field(default_factory=list)
    method: Literal["exclude_days", "prorate_target", "rebaseline"] = "exclude_days"
    approval: Literal["both", "seller", "agency"] = "both"
    max_days_per_period: int | None = None


class ScoringCurve(Strict):
    below_floor: Decimal = Decimal(0)
    at_floor: Decimal = Decimal(60)
    at_target: Decimal = Decimal(100)
    at_stretch: Decimal = Decimal(120)
    cap: Decimal = Decimal(120)


class FeeStep(Strict):
    below_score: Decimal
    fee_reduction_pct: Decimal


class BonusTier(Strict):
    min_score: Decimal
    bonus_pct: Decimal  # share of the bonus pool paid


class Commission(Strict):
    base: Literal["net_sales", "gmv", "net_profit", "gross_profit"] = "net_sales"
    rate: Decimal
    threshold: Decimal = Decimal(0)
    cap: Decimal | None = None


class Incentives(Strict):
    base_fee: Decimal = Decimal(0)
    bonus_pool: Decimal = Decimal(0)
    tiers: list[BonusTier] = Field(default_factory=list)
    commission: Commission | None = None
    clawback_days: int = 0


class ExitTerms(Strict):
    notice_days: int | None = None
    data_handover: Text = Field(default_factory=Text)
    early_exit: Text = Field(default_factory=Text)


class RawDataAccess(Strict):
    seller_keeps_access: bool = False
    how: Text = Field(default_factory=Text)


class Period(Strict):
    start: date
    end: date


class Plan(Strict):
    plan_id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")
    title: Text = Field(default_factory=Text)
    seller: Party
    provider: Party  # the agency, or the in-house team being scored
    cooperation_mode: Mode
    business_goal: Goal
    stage: Stage
    stores: list[str]
    currency: str = "USD"
    definition_set: str = "standard@1"
    period: Period
    scoring_period: Literal["month", "quarter"] = "month"
    review_cadence: Cadence = "monthly"
    kpis: list[Kpi] = Field(default_factory=list)
    guardrails: list[Guardrail] = Field(default_factory=list)
    adjustments: AdjustmentClause | None = None
    scoring_curve: ScoringCurve = Field(default_factory=ScoringCurve)
    consequences: list[FeeStep] = Field(default_factory=list)
    incentives: Incentives = Field(default_factory=Incentives)
    exit_terms: ExitTerms = Field(default_factory=ExitTerms)
    raw_data_access: RawDataAccess = Field(default_factory=RawDataAccess)
    targets_text: list[Text] = Field(default_factory=list)  # free-text promises, checked for numbers
