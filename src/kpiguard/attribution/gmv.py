"""A GMV gap split into traffic, conversion and average-order-value effects (流量/转化率/客单价影响).

GMV = sessions x cvr x aov, with cvr = orders / sessions and aov = GMV / orders. The gap
(after - before, both rounded to the currency's minor unit) is split by the Shapley value over
the three factors (``shapley.py``) and rounded with ``apportion.py``, so

    traffic + conversion + aov == gap        exactly, in every case below.

Zero cases, where a ratio has no denominator (never a division error):

- *no orders* (aov undefined) on a side whose GMV is 0: that side's aov is taken from the other
  side (or 0 if both lack one). Its cvr is 0, so the product is still 0 and the loss of the
  orders shows as a conversion effect. Example: 1000 sessions, 50 orders, 5000.00 -> 1000
  sessions, no orders: the whole -5000.00 is conversion.
- *no sessions* (cvr and aov undefined) on a side whose GMV is 0: both ratios are taken from the
  other side, so the whole change is traffic: a store with no visits sold nothing because it had
  no visits. Example: nothing -> 1200 sessions, 54 orders, 5940.00: traffic +5940.00.
- *orders without sessions* (no traffic data, or sessions counted elsewhere) or *GMV without
  orders* (GMV from settlements while orders come from order reports): the factors cannot
  explain that side's GMV at all, so the whole gap goes to the factor that is undefined there
  (conversion when sessions are missing, else aov) and ``note`` says so.
- *sessions unknown* (no traffic report at all, ``sessions=None``): traffic cannot be told apart
  from conversion, so sessions are held equal on both sides; traffic is 0 and the conversion
  effect is the effect of the number of orders (``note`` is ``sessions_unknown``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from kpiguard.attribution.apportion import apportion
from kpiguard.attribution.shapley import PRECISION, shapley

FACTORS: tuple[str, ...] = ("traffic", "conversion", "aov")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class GmvSide:
    """One side of the comparison: sessions, conversion, order value, and its GMV.

    ``cvr``/``aov`` are ``None`` when undefined (no sessions / no orders); ``sessions`` is
    ``None`` when unknown (no traffic data). ``gmv`` is the side's own figure (measured, or the
    plan's target), not recomputed from the drivers; the caller keeps it equal to their product.
    ``orders`` is kept when measured, so it survives unknown sessions."""

    sessions: Decimal | None
    cvr: Decimal | None
    aov: Decimal | None
    gmv: Decimal
    orders: Decimal | None = None

    @classmethod
    def measured(cls, sessions: Decimal | None, orders: Decimal, gmv: Decimal) -> GmvSide:
        """From counts: cvr = orders / sessions, aov = GMV / orders (60 digits)."""
        with localcontext(prec=PRECISION):
            cvr = orders / sessions if sessions else None
            aov = gmv / orders if orders else None
        return cls(sessions, cvr, aov, gmv, orders)

    def order_count(self) -> Decimal | None:
        if self.orders is not None:
            return self.orders
        if self.sessions is None or self.cvr is None:
            return None
        with localcontext(prec=PRECISION):
            return self.sessions * self.cvr

    def undefined(self) -> str | None:
        """The factor that cannot explain a non-zero GMV (conversion or aov), if any."""
        if self.gmv == 0:
            return None
        if self.cvr is None:
            return "conversion"
        if self.aov is None:
            return "aov"
        return None


@dataclass(frozen=True)
class GmvSplit:
    gap: Decimal
    traffic: Decimal
    conversion: Decimal
    aov: Decimal
    note: str | None = None  # sessions_unknown | undefined_conversion | undefined_aov

    def parts(self) -> dict[str, Decimal]:
        return {"traffic": self.traffic, "conversion": self.conversion, "aov": self.aov}


def _fill(value: Decimal | None, other: Decimal | None) -> Decimal:
    if value is not None:
        return value
    return other if other is not None else Decimal(0)


def _factors(side: GmvSide, other: GmvSide) -> list[Decimal]:
    return [_fill(side.sessions, None), _fill(side.cvr, other.cvr), _fill(side.aov, other.aov)]


def _unknown_sessions(side: GmvSide) -> GmvSide:
    """Sessions held at 1 on both sides, so that cvr carries the number of orders."""
    orders = side.order_count()
    if orders is None:  # neither sessions nor orders: nothing but GMV is known
        return GmvSide(Decimal(1), None if side.gmv else Decimal(0), side.aov, side.gmv)
    return GmvSide(Decimal(1), orders, side.aov, side.gmv, orders)


def split_gmv(before: GmvSide, after: GmvSide, quantum: Decimal = CENT) -> GmvSplit:
    """The gap after.gmv - before.gmv (each rounded to ``quantum``) in three parts (see module)."""
    gap = after.gmv.quantize(quantum) - before.gmv.quantize(quantum)
    note = None
    if before.sessions is None or after.sessions is None:
        note = "sessions_unknown"
        before, after = _unknown_sessions(before), _unknown_sessions(after)
    undefined = before.undefined() or after.undefined()
    if undefined is not None:
        whole = {f: (gap if f == undefined else Decimal(0)).quantize(quantum) for f in FACTORS}
        return GmvSplit(gap, **whole, note=note or f"undefined_{undefined}")
    raw = shapley(_factors(before, after), _factors(after, before))
    traffic, conversion, aov = apportion(raw, gap, quantum)
    return GmvSplit(gap, traffic, conversion, aov, note)
