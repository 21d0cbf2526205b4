"""The target side of a GMV gap: the plan's GMV target and the sessions, cvr and aov behind it.

A plan usually states a GMV target and perhaps a conversion target; the traffic and order value
it implies are not written down. Here each driver's target is, in order of preference:

1. *stated*: the plan's own KPI target (``sessions`` is a total and scales with the months of
   the period like GMV; ``cvr`` and ``aov`` are rates and do not);
2. *derived*: when only one driver is left, it is what the GMV target leaves for it,
   GMV / (product of the others) - so a plan stating cvr and aov implies its sessions; a plan
   stating all three uses GMV / (cvr x aov) for sessions (the GMV target is the promise; a
   stated sessions figure that disagrees is reported in a note, not used);
3. *even*: with two or three drivers left, the growth from the recent level (the previous
   period) to the GMV target is spread evenly over them: with three, exactly the "even" path of
   the plan's target decomposition (``plans/decomposition.py``, called, not copied); with two,
   each grows by the square root of what the stated driver leaves.

So sessions x cvr x aov equals the GMV target (to 28 digits), which ``gmv.split_gmv`` relies on.

Per store (``store_targets``), the plan's GMV target is shared by each store's GMV in the previous
period (``allocate``, rounded so the shares add up to the plan's figure exactly; evenly when no
store sold anything), and each driver's target is the store's own previous level times the growth
the plan asks of that driver overall. A plan-level conversion target of 0.04 from 0.04 asks every
store to hold its own conversion, not to reach 0.04: a store converting at 0.09 and one at 0.03
are both on target if they keep their rates. Since the growths multiply to target / previous GMV,
the drivers multiply to the store's share. A store without traffic data keeps its orders (grown
by the traffic and conversion growths together) and its order value; a store with no level of its
own (no orders before, or a plan level that cannot be grown from) gets the plan-level conversion
and order value, and the sessions its share implies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext

from kpiguard.attribution.apportion import apportion
from kpiguard.attribution.comparison import whole_months
from kpiguard.attribution.gmv import GmvSide
from kpiguard.attribution.shapley import PRECISION, product
from kpiguard.plans.decomposition import DRIVERS, DriverMonth, decompose, usable
from kpiguard.plans.feasibility import additive
from kpiguard.plans.model import Plan

Source = str  # stated | derived | even | none


@dataclass(frozen=True)
class DriverTargets:
    side: GmvSide
    sources: dict[str, Source]
    notes: list[str] = field(default_factory=list)  # note codes (report.NOTES)


def kpi_target(plan: Plan, metric: str, start: date, end: date) -> Decimal | None:
    """The plan's target for ``metric`` over [start, end] (whole months): a total scales with the
    months (a quarterly GMV target of 900 is 300 for one month), a rate stays as it is."""
    value = next((k.target for k in plan.kpis if k.metric == metric and k.target is not None), None)
    if value is None or not additive(metric):
        return value
    months = whole_months(start, end)
    if months is None:
        raise ValueError(f"{start}..{end} is not a run of whole months")
    per_period = 3 if plan.scoring_period == "quarter" else 1
    return value * months / per_period


def stated_drivers(plan: Plan, start: date, end: date) -> dict[str, Decimal]:
    out = {d: kpi_target(plan, d, start, end) for d in DRIVERS}
    return {d: v for d, v in out.items() if v is not None}


def _root(value: Decimal, k: int) -> Decimal:
    return value if k == 1 else value.sqrt() if k == 2 else (value.ln() / k).exp()


def resolve(target_gmv: Decimal, stated: dict[str, Decimal], recent: DriverMonth | None) -> DriverTargets | None:
    """Driver targets for ``target_gmv`` (see the module docstring); None when two or more drivers
    are unstated and ``recent`` has no sessions, orders and GMV to grow from."""
    if target_gmv == 0:  # nothing to sell: no traffic is needed, and the ratios do not matter
        return DriverTargets(GmvSide(Decimal(0), stated.get("cvr"), stated.get("aov"), target_gmv),
                             dict.fromkeys(DRIVERS, "none"))
    notes: list[str] = []
    fixed = {d: v for d, v in stated.items() if v > 0}
    if len(fixed) == len(DRIVERS):
        notes.append("sessions_from_gmv")
        del fixed["sessions"]
    free = [d for d in DRIVERS if d not in fixed]
    sources = {d: "stated" for d in fixed}
    if len(free) == 1:
        with localcontext(prec=PRECISION):
            fixed[free[0]] = target_gmv / product(list(fixed.values()))
        sources[free[0]] = "derived"
    elif recent is None or not usable([recent]) or recent.gmv <= 0:
        return None
    elif len(free) == len(DRIVERS):
        even = next(p for p in decompose(target_gmv, [recent], recent_months=1).paths if p.name == "even")
        fixed = {d: even.level.get(d) for d in DRIVERS}
        sources = dict.fromkeys(DRIVERS, "even")
    else:
        level = {d: recent.value(d) for d in DRIVERS}
        left = target_gmv / recent.gmv / product([fixed[d] / level[d] for d in fixed])
        growth = _root(left, len(free))
        fixed.update({d: level[d] * growth for d in free})
        sources.update(dict.fromkeys(free, "even"))
    side = GmvSide(fixed["sessions"], fixed["cvr"], fixed["aov"], target_gmv)
    if "sessions_from_gmv" in notes and round(stated["sessions"]) == round(fixed["sessions"]):
        notes.remove("sessions_from_gmv")  # the plan's figures agree with each other
    return DriverTargets(side, sources, notes)


def allocate(total: Decimal, weights: dict[str, Decimal], quantum: Decimal) -> dict[str, Decimal]:
    """``total`` shared by ``weights`` (evenly if they are all zero), rounded to ``quantum`` with
    the shares adding up to ``total`` rounded to ``quantum``."""
    keys = list(weights)
    if not keys:
        return {}
    whole = sum((max(w, Decimal(0)) for w in weights.values()), Decimal(0))
    with localcontext(prec=PRECISION):
        raw = [total * max(weights[k], Decimal(0)) / whole if whole else total / len(keys) for k in keys]
    return dict(zip(keys, apportion(raw, total.quantize(quantum), quantum), strict=True))


def _growth(plan_t: DriverTargets, plan_level: GmvSide | None) -> dict[str, Decimal] | None:
    """What the plan asks of each driver: target / previous level (None without a usable level)."""
    if plan_level is None or not (plan_level.sessions and plan_level.cvr and plan_level.aov):
        return None
    target = plan_t.side
    if target.sessions is None or target.cvr is None or target.aov is None:
        return None
    return {"sessions": target.sessions / plan_level.sessions, "cvr": target.cvr / plan_level.cvr,
            "aov": target.aov / plan_level.aov}


def store_targets(plan_t: DriverTargets, plan_level: GmvSide | None, share: Decimal, own: GmvSide) -> DriverTargets:
    """One store's driver targets for its ``share`` of the GMV target (see the module docstring);
    ``plan_level`` and ``own`` are the previous period of the plan's stores and of this store."""
    if share == 0:
        return DriverTargets(GmvSide(Decimal(0), None, None, share), dict.fromkeys(DRIVERS, "none"))
    growth = _growth(plan_t, plan_level)
    orders = own.order_count()
    if growth is not None and own.aov and orders:
        aov = own.aov * growth["aov"]
        if own.sessions and own.cvr:
            side = GmvSide(own.sessions * growth["sessions"], own.cvr * growth["cvr"], aov, share)
        else:  # no traffic data: orders carry traffic and conversion together
            side = GmvSide(None, None, aov, share, orders * growth["sessions"] * growth["cvr"])
        return DriverTargets(side, dict.fromkeys(DRIVERS, "scaled"))
    rates = {d: v for d, v in (("cvr", plan_t.side.cvr), ("aov", plan_t.side.aov)) if v}
    fallback = resolve(share, rates, None)
    if fallback is None:  # the plan level has both rates whenever its target is not 0
        raise ValueError("the plan-level targets have no conversion and order value to share")
    return DriverTargets(fallback.side, fallback.sources, [*fallback.notes, "plan_level_ratios"])
