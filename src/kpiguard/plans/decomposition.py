"""Target decomposition (目标拆解): what a GMV target asks of sessions, conversion and order value.

GMV = sessions x conversion rate (orders / sessions) x average order value (GMV / orders). A
promise such as "a million a month" is only as good as the path behind it, so before signing we
show two paths from the store's recent level to the target:

- *one driver*: hold two drivers at their recent level and let the third carry all the growth;
- *even*: spread the growth evenly, each driver grows by the cube root of the GMV growth;

and for each driver, how often the store's own history achieved such a month-over-month growth.
An infeasible promise is visible before it is signed. Everything here is pure Decimal arithmetic;
reading the history is the caller's business (``plans/suggest.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

DRIVERS: tuple[str, ...] = ("sessions", "cvr", "aov")
RATIO_PLACES = Decimal("0.000001")
MONEY_PLACES = Decimal("0.01")
GROWTH_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class DriverMonth:
    """One month of a store's traffic and sales (sessions, orders and GMV in the plan's currency)."""

    month: date
    sessions: Decimal
    orders: Decimal
    gmv: Decimal

    def value(self, driver: str) -> Decimal:
        """sessions, cvr, aov or gmv of this month (ratios unrounded)."""
        if driver == "sessions":
            return self.sessions
        if driver == "cvr":
            return self.orders / self.sessions
        if driver == "aov":
            return self.gmv / self.orders
        if driver == "gmv":
            return self.gmv
        raise ValueError(driver)


@dataclass(frozen=True)
class Level:
    """Sessions, conversion and order value, at the recent level or as a path requires."""

    sessions: Decimal
    cvr: Decimal
    aov: Decimal
    gmv: Decimal  # kept, not recomputed: 300 x (4/300) x 61.25 is 244.99... in 28 digits

    def get(self, driver: str) -> Decimal:
        return {"sessions": self.sessions, "cvr": self.cvr, "aov": self.aov}[driver]


@dataclass(frozen=True)
class Precedent:
    """How often a driver grew at least ``required`` month over month in the store's history."""

    driver: str
    required: Decimal  # growth factor, e.g. 2 for "x2"
    achieved: int  # month-over-month changes that reached it
    changes: int  # month-over-month changes available
    best: Decimal | None  # the largest month-over-month growth seen


@dataclass(frozen=True)
class DriverPath:
    """One way to the target: the level each driver must reach and the growth it needs."""

    name: str  # sessions | cvr | aov (that driver alone moves) or even
    level: Level
    growth: dict[str, Decimal]  # driver -> required / recent
    precedents: list[Precedent]

    @property
    def impossible(self) -> bool:
        """More orders than sessions: no history is needed to reject such a path."""
        return self.level.cvr > 1

    @property
    def has_precedent(self) -> bool | None:
        """Every driver that must grow has grown that much at least once before; None when the
        history has no month-over-month change to compare with."""
        needed = [p for p in self.precedents if p.required > 1]
        if not needed:
            return True
        if any(p.changes == 0 for p in needed):
            return None
        return all(p.achieved > 0 for p in needed)


@dataclass(frozen=True)
class Decomposition:
    target_gmv: Decimal  # per month
    recent: Level
    recent_months: int
    gmv_growth: Decimal  # target / recent GMV
    paths: list[DriverPath]
    gmv_precedent: Precedent

    @property
    def feasible_by_history(self) -> bool | None:
        """True when some path has precedents, False when none has, None when history is too short."""
        if self.gmv_growth <= 1:
            return True
        verdicts = [p.has_precedent for p in self.paths]
        if any(v is True for v in verdicts):
            return True
        return None if any(v is None for v in verdicts) else False


def recent_level(months: list[DriverMonth], count: int = 3) -> Level:
    """The level of the last ``count`` months: average sessions, and ratios of sums (not averages
    of monthly ratios, which would let a quiet month weigh as much as a busy one)."""
    last = months[-count:]
    sessions = sum((m.sessions for m in last), Decimal(0))
    orders = sum((m.orders for m in last), Decimal(0))
    gmv = sum((m.gmv for m in last), Decimal(0))
    return Level(sessions / len(last), orders / sessions, gmv / orders, gmv / len(last))


def cube_root(value: Decimal) -> Decimal:
    """Decimal has no cube root; exp(ln(x) / 3) is exact to the context's 28 digits."""
    return (value.ln() / 3).exp()


def month_over_month(months: list[DriverMonth], driver: str) -> list[Decimal]:
    """Growth factors between consecutive months (this month / the month before)."""
    out: list[Decimal] = []
    for before, after in zip(months, months[1:], strict=False):
        base = before.value(driver)
        if base > 0:
            out.append(after.value(driver) / base)
    return out


def precedent(months: list[DriverMonth], driver: str, required: Decimal) -> Precedent:
    growths = month_over_month(months, driver)
    return Precedent(driver, required, sum(1 for g in growths if g >= required), len(growths),
                     max(growths) if growths else None)


def _path(name: str, target: Decimal, recent: Level, factors: dict[str, Decimal],
          months: list[DriverMonth]) -> DriverPath:
    level = Level(recent.sessions * factors["sessions"], recent.cvr * factors["cvr"], recent.aov * factors["aov"],
                  target)
    moving = [d for d in DRIVERS if factors[d] != 1]
    return DriverPath(name, level, factors, [precedent(months, d, factors[d]) for d in moving])


def decompose(target_gmv: Decimal, months: list[DriverMonth], recent_months: int = 3) -> Decomposition:
    """The paths from the recent level to a monthly GMV target. ``months`` are oldest first and
    must have sessions and orders (see ``usable``); at least one is needed."""
    if not months:
        raise ValueError("no history months to decompose against")
    recent = recent_level(months, recent_months)
    growth = target_gmv / recent.gmv
    paths = [_path(d, target_gmv, recent, {x: growth if x == d else Decimal(1) for x in DRIVERS}, months)
             for d in DRIVERS]
    even = cube_root(growth) if growth > 0 else Decimal(0)
    paths.append(_path("even", target_gmv, recent, dict.fromkeys(DRIVERS, even), months))
    return Decomposition(target_gmv, recent, min(recent_months, len(months)), growth, paths,
                         precedent(months, "gmv", growth))


def usable(months: list[DriverMonth]) -> list[DriverMonth]:
    """Months that can be decomposed: some sessions and some orders (else cvr or aov is undefined)."""
    return [m for m in months if m.sessions > 0 and m.orders > 0]


def round_driver(driver: str, value: Decimal) -> Decimal:
    """Sessions are whole visits (rounded up: 377.98 visits need 378); cvr 6 places; money 2."""
    if driver == "sessions":  # 12 places first, so 600.000...01 from the 28th digit stays 600
        return value.quantize(Decimal("1E-12")).quantize(Decimal(1), rounding=ROUND_CEILING)
    if driver == "cvr":
        return value.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)
    return value.quantize(MONEY_PLACES, rounding=ROUND_HALF_UP)


def to_dict(d: Decomposition) -> dict[str, object]:
    """Decimal strings, rounded for people; growth factors to 4 places."""
    def level(lv: Level) -> dict[str, str]:
        return {x: str(round_driver(x, lv.get(x))) for x in DRIVERS} | {"gmv": str(round_driver("gmv", lv.gmv))}

    def prec(p: Precedent) -> dict[str, object]:
        return {"driver": p.driver, "required": str(p.required.quantize(GROWTH_PLACES)), "achieved": p.achieved,
                "changes": p.changes, "best": None if p.best is None else str(p.best.quantize(GROWTH_PLACES))}

    return {
        "target_gmv": str(round_driver("gmv", d.target_gmv)), "recent": level(d.recent),
        "recent_months": d.recent_months, "gmv_growth": str(d.gmv_growth.quantize(GROWTH_PLACES)),
        "feasible_by_history": d.feasible_by_history, "gmv_precedent": prec(d.gmv_precedent),
        "paths": [{"name": p.name, "level": level(p.level),
                   "growth": {k: str(v.quantize(GROWTH_PLACES)) for k, v in p.growth.items()},
                   "has_precedent": p.has_precedent, "impossible": p.impossible,
                   "precedents": [prec(x) for x in p.precedents]}
                  for p in d.paths],
    }


def period_months(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (2026Q4 is 3); a target for a period is
    spread evenly over its months. Periods that are not whole months are an error for the caller."""
    if start.day != 1 or (end + timedelta(days=1)).day != 1 or end < start:
        raise ValueError(f"{start}..{end} is not a run of whole months")
    return (end.year - start.year) * 12 + end.month - start.month + 1
