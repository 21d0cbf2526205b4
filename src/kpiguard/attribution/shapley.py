"""The Shapley split of a change in a product of factors: parts that add up to the change.

When GMV = sessions x cvr x aov moves from one month to the next, "how much is due to traffic"
depends on the order in which the factors are imagined to change: with traffic first, its
effect is priced at the old conversion and order value; with traffic last, at the new ones. The
Shapley value takes the average over all n! orders. For each order the marginal contributions
telescope to product(after) - product(before), so their average does too: the parts sum to the
whole change, with no interaction term left over.

Arithmetic is done in a 60-digit Decimal context (``PRECISION``); the division by n! and the
ratios fed in (cvr = orders / sessions) are the only inexact steps, so the parts match the change
to ~50 significant digits. ``apportion`` then rounds them to money so they match it exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext
from itertools import permutations
from math import factorial

PRECISION = 60


def product(values: Sequence[Decimal]) -> Decimal:
    out = Decimal(1)
    for v in values:
        out *= v
    return out


def shapley(before: Sequence[Decimal], after: Sequence[Decimal]) -> list[Decimal]:
    """Each factor's share of product(after) - product(before), averaged over all orders.

    Two factors x, y: x's part is dx x (y0 + y1) / 2. Three factors: x's part is
    dx x ((y0 z0 + y1 z1) / 3 + (y0 z1 + y1 z0) / 6), which is what the walk below computes.
    """
    if len(before) != len(after):
        raise ValueError("before and after need the same factors")
    n = len(before)
    with localcontext(prec=PRECISION):
        totals = [Decimal(0)] * n
        for order in permutations(range(n)):
            current = list(before)
            value = product(current)
            for i in order:
                current[i] = after[i]
                moved = product(current)
                totals[i] += moved - value
                value = moved
        return [t / factorial(n) for t in totals]
