"""Rounding parts to money so that they still add up to the rounded total (largest remainder).

Rounding 996.666..., -578.333... and 521.666... each to cents gives 996.67 - 578.33 + 521.67 =
940.01, one cent more than the gap of 940.00 they explain. The rule used here (Hamilton's
largest-remainder method) is:

1. round every part *down* to the quantum (ROUND_FLOOR: -578.333... becomes -578.34);
2. the total minus the sum of those floors is a whole number of quanta, k (here 2);
3. give one quantum each to the k parts with the largest remainder (part - floor), ties going to
   the part with the larger absolute value, then to the earlier part; 996.66 -> 996.67,
   -578.34 -> -578.33, and 521.66 stays: 996.67 - 578.33 + 521.66 = 940.00.

Only ``eligible`` parts take a correction (differences of money, such as the change in ad spend,
are exact already and are never bent). Remainders are compared at ``NOISE`` of a quantum so that
digits near the 60th, which depend on the order of operations, never decide. If k is negative
(the parts overshoot a total rounded elsewhere) quanta are taken from the smallest remainders;
if |k| exceeds the eligible parts the correction goes round them again. Deterministic throughout.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal, localcontext

from kpiguard.attribution.shapley import PRECISION

NOISE = Decimal("1E-30")


def apportion(parts: Sequence[Decimal], total: Decimal, quantum: Decimal,
              eligible: Sequence[bool] | None = None) -> list[Decimal]:
    """``parts`` rounded to ``quantum`` with sum exactly ``total`` (itself a multiple of the quantum)."""
    if total != total.quantize(quantum):
        raise ValueError(f"the total {total} is not a multiple of {quantum}")
    allowed = list(eligible) if eligible is not None else [True] * len(parts)
    if not any(allowed):
        raise ValueError("no part may take the rounding correction")
    with localcontext(prec=PRECISION):
        floors = [p.quantize(quantum, rounding=ROUND_FLOOR) for p in parts]
        k = int((total - sum(floors, Decimal(0))) / quantum)
        remainders = [((p - f) / quantum).quantize(NOISE) for p, f in zip(parts, floors, strict=True)]
    ranked = sorted((i for i in range(len(parts)) if allowed[i]),
                    key=lambda i: (-remainders[i], -abs(parts[i]), i))
    if k < 0:
        ranked.reverse()
    rounds, extra = divmod(abs(k), len(ranked))
    step = quantum if k >= 0 else -quantum
    out = list(floors)
    for n, i in enumerate(ranked):
        out[i] += step * (rounds + (1 if n < extra else 0))
    return out
