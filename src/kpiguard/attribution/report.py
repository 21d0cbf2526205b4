"""``kpiguard attribute``: a signed plan's GMV and profit gaps for a period, split into effects.

The GMV table compares the period with the plan's target (default) or with the previous period,
per store (``by="store"``), for the plan's stores together (``by="total"``), or for the top SKUs
by GMV plus "other" (``by="sku"``; the plan has no SKU targets, so SKUs are always compared with
the previous period). Store targets are the plan's target shared by each store's GMV in the
previous period (``targets.allocate``). The profit table always compares with the previous period:
a plan states a net-profit target at most, never the net sales, ad spend and fees behind it.
Every table says what it compares with (``comparison.Comparison``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from kpiguard.attribution import actuals, comparison
from kpiguard.attribution.actuals import Measured
from kpiguard.attribution.comparison import Against, Comparison
from kpiguard.attribution.gmv import GmvSide, GmvSplit, split_gmv
from kpiguard.attribution.profit import ProfitSide, ProfitSplit, split_profit
from kpiguard.attribution.targets import (
    DriverTargets,
    allocate,
    kpi_target,
    resolve,
    stated_drivers,
    store_targets,
)
from kpiguard.errors import Finding, InputError
from kpiguard.money import exponent
from kpiguard.plans import store
from kpiguard.plans.model import Plan
from kpiguard.workspace import Workspace

BINDING = ("signed", "active", "closed")
BY = ("total", "store", "sku")
TOTAL = "total"
OTHER = "other"
PROFIT_METRICS = ("net_sales", "gross_profit", "ad_spend", "platform_fees", "net_profit")


@dataclass(frozen=True)
class Request:
    plan_id: str
    start: date
    end: date
    by: str = "total"  # total | store | sku
    against: Against = "target"
    top: int = 10


@dataclass(frozen=True)
class GmvRow:
    key: str  # store id, SKU, "other" or "total"
    base: GmvSide  # the target, or the previous period
    actual: GmvSide
    split: GmvSplit
    notes: tuple[str, ...] = ()
    sources: dict[str, str] | None = None  # with a target: where each driver's target came from
    members: tuple[str, ...] = ()  # the SKUs in "other"


@dataclass(frozen=True)
class ProfitRow:
    key: str
    base: Measured
    actual: Measured
    split: ProfitSplit | None  # None when a component is unknown (``missing``)
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    plan_id: str
    version: int
    status: str
    currency: str
    definition_set: str
    start: date
    end: date
    by: str
    gmv_comparison: Comparison
    gmv_rows: list[GmvRow]
    profit_comparison: Comparison
    profit_rows: list[ProfitRow]
    notes: list[str] = field(default_factory=list)


def binding(ws: Workspace, plan_id: str) -> store.StoredPlan:
    """The latest version both parties signed (a later draft amendment binds nobody yet)."""
    for sp in reversed(store.versions(ws, plan_id)):
        if sp.status in BINDING:
            return sp
    raise InputError(f"plan {plan_id} has no signed version / 方案尚未签署", [Finding(
        "attribution.unsigned", f"no version of plan {plan_id} is signed, active or closed", column="PLAN",
        value=plan_id, hint="attribution compares with a signed plan: kpiguard plan propose / plan sign")])


def _check_period(plan: Plan, req: Request) -> None:
    problems = []
    if req.by not in BY:
        problems.append(Finding("attribution.by", f"cannot split by {req.by!r}", column="--by",
                                value=req.by, hint="use store or sku (or leave it out for the total)"))
    if req.top < 1:
        problems.append(Finding("attribution.top", "--top must be at least 1", column="--top", value=str(req.top)))
    if req.against == "target" and req.by != "sku":
        if comparison.whole_months(req.start, req.end) is None:
            problems.append(Finding("attribution.period", f"{req.start}..{req.end} is not whole months: a plan's "
                                    "targets are for months or quarters", column="--period",
                                    hint="give a month (2026-10) or a quarter, or use --against previous"))
        if req.start < plan.period.start or req.end > plan.period.end:
            problems.append(Finding("attribution.period", f"{req.start}..{req.end} is outside the plan's period "
                                    f"{plan.period.start}..{plan.period.end}", column="--period",
                                    hint="a period inside the plan, or --against previous"))
    if problems:
        raise InputError("the attribution cannot run / 无法进行差异归因", problems)


@dataclass(frozen=True)
class Figures:
    """Both periods: per group (SKU, or store also for the total) and for the plan's stores together."""

    now: dict[str, Measured]
    before: dict[str, Measured]
    now_total: Measured
    before_total: Measured
    prev_start: date

    def stores(self, plan: Plan) -> tuple[dict[str, Measured], dict[str, Measured]]:
        return ({s: self.now.get(s, Measured()) for s in plan.stores},
                {s: self.before.get(s, Measured()) for s in plan.stores})


def _figures(ws: Workspace, plan: Plan, req: Request) -> Figures:
    prev = comparison.previous_range(req.start, req.end)
    group = "sku" if req.by == "sku" else "store"  # by store for the total too: which stores lack traffic
    now = actuals.measure(ws, plan, req.start, req.end, group)
    before = actuals.measure(ws, plan, *prev, group)
    return Figures(now, before, actuals.measure(ws, plan, req.start, req.end, None)[actuals.TOTAL],
                   actuals.measure(ws, plan, *prev, None)[actuals.TOTAL], prev[0])


def build(ws: Workspace, req: Request) -> Report:
    sp = binding(ws, req.plan_id)
    plan = sp.plan
    _check_period(plan, req)
    quantum = Decimal(1).scaleb(-exponent(plan.currency))
    fig = _figures(ws, plan, req)
    notes: list[str] = []
    if req.by == "sku":
        gmv_cmp = comparison.previous(req.start, req.end, " (the plan has no SKU targets)", "（方案未设SKU目标）")
        gmv_rows = _sku_rows(fig, req.top, quantum, notes)
    elif req.against == "previous":
        gmv_cmp = comparison.previous(req.start, req.end)
        gmv_rows = _previous_rows(plan, fig, quantum, req.by == "store")
    else:
        gmv_cmp = comparison.target(req.start, req.end, plan.plan_id, sp.version)
        gmv_rows = _target_rows(plan, req, fig, quantum)
    profit_cmp = comparison.previous(req.start, req.end, " (the plan sets no targets for net sales, margin, ad spend "
                                     "and fees)", "（方案未设净销售额、毛利率、广告花费与平台费用目标）")
    profit_rows = _profit_rows(plan, fig, quantum, req.by == "store")
    return Report(plan.plan_id, sp.version, sp.status, plan.currency, plan.definition_set, req.start, req.end, req.by,
                  gmv_cmp, gmv_rows, profit_cmp, profit_rows, notes)


def _measured_side(m: Measured) -> GmvSide:
    return GmvSide.measured(m.sessions, m.orders or Decimal(0), m.gmv or Decimal(0))


def _row(key: str, base: GmvSide, actual: GmvSide, quantum: Decimal, notes: list[str] | None = None,
         sources: dict[str, str] | None = None, members: tuple[str, ...] = ()) -> GmvRow:
    split = split_gmv(base, actual, quantum)
    all_notes = ([split.note] if split.note else []) + (notes or [])
    return GmvRow(key, base, actual, split, tuple(dict.fromkeys(all_notes)), sources, members)


def _previous_rows(plan: Plan, fig: Figures, quantum: Decimal, by_store: bool) -> list[GmvRow]:
    rows = []
    if by_store:
        now_s, before_s = fig.stores(plan)
        rows = [_row(s, _measured_side(before_s[s]), _measured_side(now_s[s]), quantum) for s in plan.stores]
    rows.append(_row(TOTAL, _measured_side(fig.before_total), _measured_side(fig.now_total), quantum,
                     _partial(plan, fig)))
    return rows


def _plan_targets(plan: Plan, req: Request, fig: Figures) -> DriverTargets:
    gmv_target = kpi_target(plan, "gmv", req.start, req.end)
    if gmv_target is None:
        raise InputError(f"plan {plan.plan_id} has no GMV target / 方案没有销售额目标", [Finding(
            "attribution.no_gmv_target", "the plan has no gmv KPI with a target", column="--against",
            hint="compare with the previous period: --against previous")])
    resolved = resolve(gmv_target, stated_drivers(plan, req.start, req.end), fig.before_total.driver_month(fig.prev_start))
    if resolved is None:
        raise InputError("no level to spread the GMV target over / 无法拆解销售额目标", [Finding(
            "attribution.no_level", "the previous period has no sessions, orders and GMV, and the plan states fewer "
            "than two of the sessions, cvr and aov targets", column="--against",
            hint="add sessions, cvr or aov targets to the plan, or use --against previous")])
    return resolved


def _target_rows(plan: Plan, req: Request, fig: Figures, quantum: Decimal) -> list[GmvRow]:
    plan_t = _plan_targets(plan, req, fig)
    rows: list[GmvRow] = []
    if req.by == "store":
        now_s, before_s = fig.stores(plan)
        shares = allocate(plan_t.side.gmv, {s: m.gmv or Decimal(0) for s, m in before_s.items()}, quantum)
        plan_level = _measured_side(fig.before_total)
        for s in plan.stores:
            t = store_targets(plan_t, plan_level, shares[s], _measured_side(before_s[s]))
            rows.append(_row(s, t.side, _measured_side(now_s[s]), quantum, t.notes, t.sources))
    rows.append(_row(TOTAL, plan_t.side, _measured_side(fig.now_total), quantum, plan_t.notes + _partial(plan, fig),
                     plan_t.sources))
    return rows


def _partial(plan: Plan, fig: Figures) -> list[str]:
    """A note for a total that counts orders of stores whose sessions it cannot count."""
    now_s, before_s = fig.stores(plan)
    blind = [s for s in plan.stores for m in (now_s[s], before_s[s]) if m.orders and not m.sessions]
    return ["sessions_partial"] if blind else []


def _sku_rows(fig: Figures, top: int, quantum: Decimal, notes: list[str]) -> list[GmvRow]:
    """The ``top`` SKUs by GMV (the larger of the two periods, so a SKU that stopped selling is still
    seen), then the rest, and lines without a SKU, as "other"."""
    now, before = fig.now, fig.before
    untied = any((g.get(actuals.NO_SKU) or Measured()).sessions for g in (now, before))
    if untied:
        notes.append("sessions_not_by_sku")

    def side(m: Measured) -> GmvSide:
        return GmvSide.measured(None if untied else m.sessions, m.orders or Decimal(0), m.gmv or Decimal(0))

    def biggest(k: str) -> Decimal:
        return max((now.get(k) or Measured()).gmv or Decimal(0), (before.get(k) or Measured()).gmv or Decimal(0))

    skus = sorted((k for k in set(now) | set(before) if k != actuals.NO_SKU), key=lambda k: (-biggest(k), k))
    rows = [_row(k, side(before.get(k, Measured())), side(now.get(k, Measured())), quantum) for k in skus[:top]]
    untied_sales = [g[actuals.NO_SKU] for g in (now, before) if actuals.NO_SKU in g]
    rest = skus[top:] + ([actuals.NO_SKU] if any(m.orders or m.gmv for m in untied_sales) else [])
    if rest:
        rows.append(_row(OTHER, side(actuals.total(before.get(k, Measured()) for k in rest)),
                         side(actuals.total(now.get(k, Measured()) for k in rest)), quantum,
                         members=tuple(rest)))
    return rows


def _profit_side(m: Measured) -> ProfitSide:
    return ProfitSide(m.net_sales or Decimal(0), m.gross_profit or Decimal(0), m.ad_spend or Decimal(0),
                      m.platform_fees or Decimal(0), m.net_profit)


def _profit_row(key: str, before: Measured, now: Measured, quantum: Decimal) -> ProfitRow:
    missing = tuple(m for m in PROFIT_METRICS if getattr(before, m) is None or getattr(now, m) is None)
    if missing:
        return ProfitRow(key, before, now, None, missing)
    return ProfitRow(key, before, now, split_profit(_profit_side(before), _profit_side(now), quantum))


def _profit_rows(plan: Plan, fig: Figures, quantum: Decimal, by_store: bool) -> list[ProfitRow]:
    rows = []
    if by_store:
        now_s, before_s = fig.stores(plan)
        rows = [_profit_row(s, before_s[s], now_s[s], quantum) for s in plan.stores]
    return [*rows, _profit_row(TOTAL, fig.before_total, fig.now_total, quantum)]
