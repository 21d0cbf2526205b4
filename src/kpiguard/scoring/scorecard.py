"""A signed plan's scorecard (考核评分卡) for one scoring period.

For each KPI: the actual under the plan's pinned definition set, its points on the plan's curve,
and — when approved force-majeure events or late dependencies touch the period — the adjusted
actual and target beside the unadjusted ones. The weighted total, the guardrails with the numbers
that breached them and their effect, the sub-score of every owner role. Everything is computed
from one data snapshot (the lake parts that existed when it started), which a final score records.

Adjustment rules (the plan's ``adjustments.method``, applied to the days of approved events):

- ``exclude_days``: the days leave the period: actuals are computed without the rows dated on
  them (every metric alike), and additive targets (money and counts: GMV, orders, sessions ...) shrink
  by the days' expected share of the period (``scoring/expected.py``); ratio targets stay.
- ``prorate_target``: actuals stay whole; additive targets shrink by the expected share.
- ``rebaseline``: the days count as met: additive targets become the pro-rated target plus what
  was actually sold on those days; ratio actuals leave the days out.

A late dependency with clause ``exclude_late_days`` takes its overdue days out of that KPI alone
(as ``exclude_days``); with ``shift_to_dependency`` a missed KPI is counted in the sub-score of the
role that delivered late; ``note_only`` is shown and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kpiguard.errors import Finding, InputError
from kpiguard.events.deliveries import delivered
from kpiguard.events.store import list_events
from kpiguard.metrics import catalog as catalog_mod
from kpiguard.metrics.catalog import Metric
from kpiguard.metrics.engine import Query, run
from kpiguard.metrics.tables import LakeReader
from kpiguard.money import exponent
from kpiguard.periods import month_end, parse_period
from kpiguard.plans.model import Kpi, Plan
from kpiguard.plans.store import StoredPlan
from kpiguard.scoring import curve
from kpiguard.scoring.exclusions import ExcludingReader, StoreDay, event_days, late_days
from kpiguard.scoring.expected import Weights, weekday_weights
from kpiguard.snapshot import Snapshot
from kpiguard.workspace import Workspace

SCORED_STATUSES = ("signed", "active", "closed")
SHARE_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class Period:
    key: str  # 2026-10 or 2026Q4
    start: date
    end: date


def scoring_period(plan: Plan, text: str) -> Period:
    """The plan's scoring period named by ``text``: a whole month (or quarter) inside the plan."""
    start, end = parse_period(text)
    quarter = plan.scoring_period == "quarter"
    aligned = start.day == 1 and end == month_end(end.replace(day=1)) and (
        (quarter and start.month % 3 == 1 and (end.month - start.month) == 2) or (not quarter and start.month == end.month))
    if not aligned or start < plan.period.start or end > plan.period.end:
        example = "2026Q4" if quarter else "2026-10"
        raise InputError(f"{text} is not a scoring period of plan {plan.plan_id} / 不是该方案的考核周期", [Finding(
            "score.period", f"plan {plan.plan_id} is scored by {plan.scoring_period} within "
            f"{plan.period.start} .. {plan.period.end}", column="--period", value=text,
            hint=f"give one {plan.scoring_period} of the plan period, e.g. {example}")])
    key = f"{start.year}Q{(start.month + 2) // 3}" if quarter else f"{start:%Y-%m}"
    return Period(key, start, end)


def is_additive(m: Metric) -> bool:
    """Money and counts that add up over days (GMV, orders); not ratios or averages (AOV, ACoS)."""
    return m.unit in ("money", "count") and "/" not in m.formula


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@dataclass
class _Runs:
    """Engine results keyed by the set of (store, day) pairs left out (empty = the whole period)."""

    ws: Workspace
    reader: LakeReader
    plan: Plan
    period: Period
    metrics: tuple[str, ...]
    as_of: date | None

    def __post_init__(self) -> None:
        self._rows: dict[frozenset[StoreDay], dict[str, Any]] = {}

    def row(self, excluded: frozenset[StoreDay]) -> dict[str, Any]:
        if excluded not in self._rows:
            reader = ExcludingReader(self.reader, excluded) if excluded else self.reader
            rows = run(self.ws, Query(metrics=self.metrics, date_from=self.period.start, date_to=self.period.end,
                                      stores=tuple(self.plan.stores), currency=self.plan.currency,
                                      definition_set=self.plan.definition_set, as_of=self.as_of), reader)
            self._rows[excluded] = rows[0]
        return self._rows[excluded]

    def value(self, metric: str, excluded: frozenset[StoreDay] = frozenset()) -> Decimal | None:
        return _dec(self.row(excluded).get(metric))


def compute(ws: Workspace, sp: StoredPlan, period: Period, reader: LakeReader, snapshot: Snapshot,
            as_of: date | None, cutoff: datetime | None = None) -> dict[str, Any]:
    """The scorecard as a JSON-ready dict (decimal strings).

    ``cutoff`` limits events and dependency records to those decided by then: a recorded final
    score is recomputed with the facts it was computed from, not with later decisions.
    """
    plan = sp.plan
    cat = catalog_mod.load()
    wanted = [k.metric for k in plan.kpis] + [g.metric for g in plan.guardrails]
    if plan.incentives.commission:
        wanted.append(plan.incentives.commission.base)
    runs = _Runs(ws, reader, plan, period, tuple(dict.fromkeys(wanted)), as_of)
    events = [e for e in list_events(ws, plan.plan_id)
              if cutoff is None or (e.decided_at is not None and e.decided_at <= cutoff)]
    ev_days, ev_reasons = event_days(plan, events, period.start, period.end)
    method = plan.adjustments.method if plan.adjustments else None
    ev_actual = frozenset(ev_days) if method in ("exclude_days", "rebaseline") else frozenset()
    done = delivered(ws, plan.plan_id, cutoff)
    weights: dict[str, Weights] = {}

    lines = [_kpi_line(ws, k, cat.metric(k.metric), plan, period, runs, ev_days, ev_actual, method, done,
                       weights, reader, as_of) for k in plan.kpis]
    weighted_unadj = curve.weighted_total([(k.weight, _dec(line["unadjusted"]["points"])) for k, line in zip(plan.kpis, lines, strict=True)])
    weighted = curve.weighted_total([(k.weight, line["_points"]) for k, line in zip(plan.kpis, lines, strict=True)])
    guards = [_guardrail(g, cat.metric(g.metric), runs, ev_actual) for g in plan.guardrails]
    total, effects = _apply_guardrails(weighted, [(g, line["breached"]) for g, line in zip(plan.guardrails, guards, strict=True)])
    total_unadj, _ = _apply_guardrails(weighted_unadj, [(g, line["unadjusted"]["breached"]) for g, line in zip(plan.guardrails, guards, strict=True)])
    status = runs.row(frozenset())["status"]
    for line in lines:
        line.pop("_points")
    commission_base = plan.incentives.commission.base if plan.incentives.commission else None
    return {
        "plan": plan.plan_id, "version": sp.version, "plan_hash": sp.plan_hash, "period": period.key,
        "period_start": str(period.start), "period_end": str(period.end), "status": status,
        "as_of": str(as_of) if as_of else None, "currency": plan.currency, "definition_set": plan.definition_set,
        "stores": list(plan.stores),
        "total": _s(total), "weighted_total": _s(weighted), "total_unadjusted": _s(total_unadj),
        "bonus_voided": effects["void_bonus"], "penalty_points": _s(effects["penalty"]), "cap_points": _s(effects["cap"]),
        "kpis": lines, "guardrails": guards,
        "roles": _role_scores(lines, guards),
        "adjustments": {"method": method, "events": ev_reasons,
                        "excluded_days": sorted(f"{s} {d}" for s, d in ev_days)},
        # commission is paid on money really earned: the whole period, whatever days events took out
        "commission_base": ({"metric": commission_base, "value": _s(runs.value(commission_base))}
                            if commission_base else None),
        "missing": [k.metric for k, line in zip(plan.kpis, lines, strict=True) if line["points"] is None],
        "snapshot": {"digest": snapshot.digest(), "lake_parts": len(snapshot.parts), "raw_files": snapshot.raw_files},
    }


def _kpi_line(ws: Workspace, k: Kpi, m: Metric, plan: Plan, period: Period, runs: _Runs, ev_days: set[StoreDay],
              ev_actual: frozenset[StoreDay], method: str | None, done: dict[tuple[str, str], date],
              weights: dict[str, Weights], reader: LakeReader, as_of: date | None) -> dict[str, Any]:
    deps, dep_days, shifted_to = [], set(), None
    for dep in k.depends_on:
        arrived = done.get((k.metric, dep.role))
        late = late_days(dep, arrived, period.start, period.end)
        deps.append({"role": dep.role, "deliverable": dep.deliverable, "due": _iso(dep.due), "delivered_on": _iso(arrived),
                     "late_days": len(late), "clause": dep.clause, "caused_miss": False})
        if late and dep.clause == "exclude_late_days":
            dep_days |= {(s, d) for s in plan.stores for d in late}
    excluded_actual = frozenset(ev_actual | dep_days)
    share_days = ev_days | dep_days
    actual_full = runs.value(k.metric)
    actual = runs.value(k.metric, excluded_actual) if excluded_actual else actual_full
    share = None
    target, floor, stretch = k.target, k.floor, k.stretch
    if share_days and is_additive(m):
        if m.key not in weights:
            weights[m.key] = weekday_weights(ws, reader, plan, m.key, period.start, period.end, as_of)
        share = weights[m.key].share(share_days)
        keep = Decimal(1) - share
        extra = Decimal(0)
        if method == "rebaseline" and ev_days and actual_full is not None:
            extra = actual_full - (runs.value(k.metric, frozenset(ev_days)) or Decimal(0))
            actual = actual_full
        places = Decimal(1).scaleb(-exponent(plan.currency)) if m.unit == "money" else Decimal("0.01")
        target, floor, stretch = (None if x is None else (x * keep + extra).quantize(places, rounding=ROUND_HALF_UP)
                                  for x in (k.target, k.floor, k.stretch))
    pts = curve.points(actual, floor, target, stretch, m.direction, plan.scoring_curve)
    pts_unadj = curve.points(actual_full, k.floor, k.target, k.stretch, m.direction, plan.scoring_curve)
    missed = pts is not None and pts < plan.scoring_curve.at_target
    for dep_line in deps:
        if dep_line["late_days"] and missed:
            dep_line["caused_miss"] = True
            if dep_line["clause"] == "shift_to_dependency" and shifted_to is None:
                shifted_to = dep_line["role"]
    stores = " ".join(f"--store {s}" for s in plan.stores)
    return {
        "metric": k.metric, "name": {"en": m.name.en, "zh-CN": m.name.zh}, "unit": m.unit, "direction": m.direction,
        "owner": k.owner, "counted_for": shifted_to or k.owner, "weight": _s(k.weight),
        "actual": _s(actual), "target": _s(target), "floor": _s(floor), "stretch": _s(stretch),
        "attainment": _s(curve.attainment(actual, target, m.direction)), "points": _s(pts), "_points": pts,
        "unadjusted": {"actual": _s(actual_full), "target": _s(k.target), "floor": _s(k.floor), "stretch": _s(k.stretch),
                       "attainment": _s(curve.attainment(actual_full, k.target, m.direction)), "points": _s(pts_unadj)},
        "adjusted": bool(share_days) and (share is not None or bool(excluded_actual)),
        "expected_share_excluded": _s(share.quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)) if share is not None else None,
        "excluded_days": len(share_days),
        "calendar_fallback": list(weights[m.key].calendar_fallback) if m.key in weights else [],
        "dependencies": deps,
        "explain": f"kpiguard explain {k.metric} {stores} --from {period.start} --to {period.end} "
                   f"--currency {plan.currency} --definitions {plan.definition_set}",
    }


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def _guardrail(g: Any, m: Metric, runs: _Runs, ev_actual: frozenset[StoreDay]) -> dict[str, Any]:
    actual_full = runs.value(g.metric)
    actual = runs.value(g.metric, ev_actual) if ev_actual else actual_full
    return {"metric": g.metric, "name": {"en": m.name.en, "zh-CN": m.name.zh}, "direction": m.direction,
            "owner": g.owner, "actual": _s(actual), "limit": _s(g.limit), "breached": _breached(actual, g.limit, m.direction),
            "consequence": g.consequence, "effect": _effect_text(g),
            "unadjusted": {"actual": _s(actual_full), "breached": _breached(actual_full, g.limit, m.direction)}}


def _breached(actual: Decimal | None, limit: Decimal | None, direction: str) -> bool | None:
    if actual is None or limit is None:
        return None
    return actual > limit if direction == "lower" else actual < limit


def _effect_text(g: Any) -> str:
    if g.consequence == "cap_total":
        return f"total capped at {g.cap_points} / 总分封顶 {g.cap_points}"
    if g.consequence == "penalty":
        return f"minus {g.penalty_points} points / 扣 {g.penalty_points} 分"
    return "bonus void / 取消奖金"


def _apply_guardrails(weighted: Decimal | None, lines: list[tuple[Any, bool | None]]) -> tuple[Decimal | None, dict[str, Any]]:
    """Penalties first (not below zero), then the lowest cap; a void_bonus breach only flags."""
    effects: dict[str, Any] = {"void_bonus": False, "penalty": None, "cap": None}
    if weighted is None:
        return None, effects
    breached = [g for g, b in lines if b]
    penalty = sum((g.penalty_points or Decimal(0) for g in breached if g.consequence == "penalty"), Decimal(0))
    caps = [g.cap_points for g in breached if g.consequence == "cap_total" and g.cap_points is not None]
    total = max(weighted - penalty, Decimal(0))
    if caps:
        total = min(total, min(caps))
    effects.update(void_bonus=any(g.consequence == "void_bonus" for g in breached),
                   penalty=penalty if penalty else None, cap=min(caps) if caps else None)
    return total.quantize(curve.POINT_PLACES, rounding=ROUND_HALF_UP), effects


def _role_scores(lines: list[dict[str, Any]], guards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each role's weighted points over the KPIs counted for it (a shifted miss counts for its cause)."""
    roles = dict.fromkeys([line["counted_for"] for line in lines if line["counted_for"]]
                          + [g["owner"] for g in guards if g["owner"]])
    out = []
    for role in roles:
        mine = [line for line in lines if line["counted_for"] == role]
        out.append({"role": role,
                    "score": _s(curve.weighted_total([(Decimal(x["weight"]), _dec(x["points"])) for x in mine])),
                    "kpis": [x["metric"] for x in mine],
                    "shifted_in": [x["metric"] for x in mine if x["owner"] != role],
                    "guardrails_breached": [g["metric"] for g in guards if g["owner"] == role and g["breached"]]})
    return out
